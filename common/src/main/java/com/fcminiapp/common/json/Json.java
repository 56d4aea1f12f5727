package com.fcminiapp.common.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.error.ApiException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The JSON reader and writer both functions share: strict on input (no duplicate keys, no trailing data), exact
 * with numbers (decimals kept as written, {@code -0.0} kept negative), and refusing numbers no double can hold.
 * Trees are read and written with jackson-core's streaming parser and generator alone: an ObjectMapper loads about
 * 330 more classes (serializer and deserializer factories, type introspection) that no tree needs, which cost the
 * cold start of each function a few hundred milliseconds (docs/performance.md).
 */
public final class Json {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            // two "sid" keys must not let one part of the stack read another value than the next
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static final BigDecimal DOUBLE_MAX = new BigDecimal(Double.MAX_VALUE);

    private Json() {
    }

    /** Parses a request body that must be one JSON object; anything else is INVALID_ARGUMENT. */
    public static ObjectNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.invalid("The request body is empty; send a JSON object.");
        }
        JsonNode node;
        try {
            node = readTree(body);
        } catch (IOException e) {
            throw ApiException.invalid("The request body is not valid JSON: " + describe(e));
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("The request body must be a JSON object.");
        }
        return (ObjectNode) node;
    }

    /**
     * Reads any JSON value exactly: a decimal keeps its digits, {@code -0.0} stays a negative zero, and a number
     * beyond the double range ({@code 1e400}) is INVALID_ARGUMENT naming its field.
     *
     * @return the value, or null when {@code json} holds none (only white space)
     */
    public static JsonNode readTree(byte[] json) throws IOException {
        return read(json, true);
    }

    /**
     * Reads JSON this code wrote earlier (a stored value) as exactly as {@link #readTree}, but without the range
     * rule: a value stored before the rule existed must still be readable.
     */
    public static JsonNode readStored(byte[] json) throws IOException {
        return read(json, false);
    }

    private static JsonNode read(byte[] json, boolean checkRange) throws IOException {
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() == null) {
                return null;
            }
            JsonNode value = new TreeReader(parser, checkRange).value();
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new JsonParseException(parser, "Trailing token (of type " + trailing + ") found after value",
                        parser.currentTokenLocation());
            }
            return value;
        }
    }

    public static byte[] write(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(node, generator);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
        return out.toByteArray();
    }

    private static void write(JsonNode node, JsonGenerator g) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT:
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    g.writeFieldName(field.getKey());
                    write(field.getValue(), g);
                }
                g.writeEndObject();
                break;
            case ARRAY:
                g.writeStartArray();
                for (JsonNode element : node) {
                    write(element, g);
                }
                g.writeEndArray();
                break;
            case STRING:
                g.writeString(node.textValue());
                break;
            case BOOLEAN:
                g.writeBoolean(node.booleanValue());
                break;
            case NULL:
            case MISSING:
                g.writeNull();
                break;
            case NUMBER:
                writeNumber(node, g);
                break;
            default:
                // binary and POJO nodes: this code builds none
                throw new IOException("no JSON form for a " + node.getNodeType() + " node");
        }
    }

    private static void writeNumber(JsonNode node, JsonGenerator g) throws IOException {
        switch (node.numberType()) {
            case INT:
                g.writeNumber(node.intValue());
                break;
            case LONG:
                g.writeNumber(node.longValue());
                break;
            case BIG_INTEGER:
                g.writeNumber(node.bigIntegerValue());
                break;
            case FLOAT:
                g.writeNumber(node.floatValue());
                break;
            case DOUBLE:
                g.writeNumber(node.doubleValue());
                break;
            default:
                g.writeNumber(node.decimalValue());
        }
    }

    private static String describe(IOException e) {
        // only the position: Jackson's own message can quote the offending token, which may be a secret
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
            com.fasterxml.jackson.core.JsonProcessingException jpe = (com.fasterxml.jackson.core.JsonProcessingException) e;
            String original = jpe.getOriginalMessage();
            if (original != null && original.startsWith("Duplicate field")) {
                return "a field appears twice";
            }
            if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
                // it carries no location; the limit is what the sender needs to know
                return "it nests deeper than 64 levels; flatten it";
            }
            if (jpe.getLocation() != null) {
                return "error at line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr();
            }
        }
        return "unreadable";
    }

    /**
     * Builds the tree of the value at the parser's current token: each decimal a BigDecimal (its exact digits, trailing
     * zeros dropped as Jackson's own tree reader drops them), except a negative zero, which only a double can hold;
     * numbers past the double range are refused before any tree holds them.
     */
    private static final class TreeReader {

        private final JsonParser parser;
        private final boolean checkRange;

        TreeReader(JsonParser parser, boolean checkRange) {
            this.parser = parser;
            this.checkRange = checkRange;
        }

        JsonNode value() throws IOException {
            switch (parser.currentToken()) {
                case START_OBJECT:
                    return object();
                case START_ARRAY:
                    return array();
                case VALUE_STRING:
                    return NODES.textNode(parser.getText());
                case VALUE_TRUE:
                    return NODES.booleanNode(true);
                case VALUE_FALSE:
                    return NODES.booleanNode(false);
                case VALUE_NULL:
                    return NODES.nullNode();
                case VALUE_NUMBER_INT:
                    checkRange();
                    return integer();
                case VALUE_NUMBER_FLOAT:
                    checkRange();
                    return decimal();
                default:
                    throw new JsonParseException(parser, "Unexpected token " + parser.currentToken());
            }
        }

        private ObjectNode object() throws IOException {
            ObjectNode object = NODES.objectNode();
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                parser.nextToken();
                object.set(name, value());
            }
            return object;
        }

        private ArrayNode array() throws IOException {
            ArrayNode array = NODES.arrayNode();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                array.add(value());
            }
            return array;
        }

        private JsonNode integer() throws IOException {
            switch (parser.getNumberType()) {
                case INT:
                    return NODES.numberNode(parser.getIntValue());
                case LONG:
                    return NODES.numberNode(parser.getLongValue());
                default:
                    return NODES.numberNode(parser.getBigIntegerValue());
            }
        }

        private JsonNode decimal() throws IOException {
            if (isNegativeZero()) {
                return NODES.numberNode(-0.0);
            }
            BigDecimal value = parser.getDecimalValue();
            if (NODES.willStripTrailingBigDecimalZeroes()) {
                value = value.stripTrailingZeros();
            }
            return NODES.numberNode(value);
        }

        /** From the text: a BigDecimal cannot tell -0.0 from 0.0. */
        private boolean isNegativeZero() throws IOException {
            String text = parser.getText();
            if (!text.startsWith("-")) {
                return false;
            }
            for (int i = 1; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == 'e' || c == 'E') {
                    return true;
                }
                if (c != '0' && c != '.') {
                    return false;
                }
            }
            return true;
        }

        private void checkRange() throws IOException {
            if (!checkRange) {
                return;
            }
            BigDecimal value = parser.getDecimalValue();
            if (value.abs().compareTo(DOUBLE_MAX) > 0) {
                String name = fieldName();
                throw ApiException.invalid((name == null ? "A number" : "The number in field " + name)
                        + " is beyond what a double holds (about ±1.8e308); send a smaller number or a string.");
            }
        }

        /** The nearest enclosing field's name (an array element is named by its array's field). */
        private String fieldName() {
            for (JsonStreamContext context = parser.getParsingContext(); context != null; context = context.getParent()) {
                String name = context.getCurrentName();
                if (name != null) {
                    return name.length() > 64 ? name.substring(0, 64) + "…" : name;
                }
            }
            return null;
        }
    }
}
