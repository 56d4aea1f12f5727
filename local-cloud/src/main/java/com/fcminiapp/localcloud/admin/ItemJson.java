package com.fcminiapp.localcloud.admin;

import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Items as the console and the seed folder show them, read from the columns the db function writes (its item
 * encoding: one typed column per field, objects and arrays as BINARY JSON); decimals keep their digits. Writing
 * goes through the db function itself, so this class only reads.
 */
final class ItemJson {

    static final String VERSION = "_version";
    static final String UPDATED_AT = "_updatedAt";
    /** Set by the db function on create (issue 19), like the two above: an import sets it, an export leaves it out. */
    static final String CREATED_AT = "_createdAt";

    /**
     * The deepest nesting read: above the db function's 64 levels (so its own message refuses 65 to 100), low enough
     * that no reader or writer here recurses deep enough to overflow the stack (Jackson's default is 1000).
     */
    static final int MAX_DEPTH = 100;

    /** Exact with numbers (decimals as written), strict about duplicate keys, nesting bounded. */
    static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build())
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Two-space indent, {@code "key": value}, every array element on its own line: diffs well under git. */
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("").withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private ItemJson() {
    }

    /** The item: {@code id}, then its fields by name; the bookkeeping fields above only when asked for. */
    static ObjectNode item(String id, Column[] columns, boolean withVersion) {
        Map<String, Column> byName = new TreeMap<>();
        for (Column column : columns) {
            byName.putIfAbsent(column.getName(), column);
        }
        ObjectNode item = MAPPER.createObjectNode();
        item.put("id", id);
        byName.forEach((name, column) -> {
            boolean bookkeeping = name.equals(VERSION) || name.equals(UPDATED_AT) || name.equals(CREATED_AT);
            if (!name.equals("id") && (withVersion || !bookkeeping)) {
                item.set(name, decode(column.getValue()));
            }
        });
        return item;
    }

    /**
     * A stored column's JSON value: the reading half of db-function's ItemCodec, restated because local-cloud is
     * built before the functions and cannot depend on them.
     */
    static JsonNode decode(ColumnValue value) {
        switch (value.getType()) {
            case STRING:
                return TextNode.valueOf(value.asString());
            case INTEGER:
                return LongNode.valueOf(value.asLong());
            case DOUBLE:
                return DoubleNode.valueOf(value.asDouble());
            case BOOLEAN:
                return BooleanNode.valueOf(value.asBoolean());
            default:
                return read(value.asBinary());
        }
    }

    static JsonNode read(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pretty JSON with a trailing newline, as the seed folder stores it. */
    static byte[] pretty(JsonNode node) {
        try {
            return (PRETTY.writeValueAsString(node) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
