package com.fcminiapp.common.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.error.ApiException;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * The JSON reader and writer both functions share: strict on input (no duplicate keys, no trailing data), exact
 * with numbers (decimals kept as written, {@code -0.0} kept negative), and refusing numbers no double can hold.
 */
public final class Json {

    /** The writer, and the reader for trusted JSON; request bodies go through {@link #parseObject}. */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                    .build())
            // two "sid" keys must not let one part of the stack read another value than the next
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

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
        try (JsonParser parser = new ExactNumbers(MAPPER.getFactory().createParser(json), checkRange)) {
            return MAPPER.readTree(parser);
        }
    }

    public static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
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
            if (jpe.getLocation() != null) {
                return "error at line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr();
            }
        }
        return "unreadable";
    }

    /**
     * Tells the tree builder to keep each decimal as a BigDecimal (its exact digits), except a negative zero,
     * which only a double can hold; and refuses numbers past the double range before any tree holds them.
     */
    private static final class ExactNumbers extends JsonParserDelegate {

        private final boolean checkRange;

        ExactNumbers(JsonParser parser, boolean checkRange) {
            super(parser);
            this.checkRange = checkRange;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken token = super.nextToken();
            if (checkRange && (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT)) {
                checkRange();
            }
            return token;
        }

        @Override
        public NumberTypeFP getNumberTypeFP() throws IOException {
            return isNegativeZero() ? NumberTypeFP.DOUBLE64 : NumberTypeFP.BIG_DECIMAL;
        }

        @Override
        public double getDoubleValue() throws IOException {
            // a BigDecimal read earlier (range check) is cached and has no negative zero
            return isNegativeZero() ? -0.0 : super.getDoubleValue();
        }

        /** From the text: a BigDecimal cannot tell -0.0 from 0.0. */
        private boolean isNegativeZero() throws IOException {
            String text = getText();
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
            BigDecimal value = getDecimalValue();
            if (value.abs().compareTo(DOUBLE_MAX) > 0) {
                String name = fieldName();
                throw ApiException.invalid((name == null ? "A number" : "The number in field " + name)
                        + " is beyond what a double holds (about ±1.8e308); send a smaller number or a string.");
            }
        }

        /** The nearest enclosing field's name (an array element is named by its array's field). */
        private String fieldName() {
            for (JsonStreamContext context = getParsingContext(); context != null; context = context.getParent()) {
                String name = context.getCurrentName();
                if (name != null) {
                    return name.length() > 64 ? name.substring(0, 64) + "…" : name;
                }
            }
            return null;
        }
    }
}
