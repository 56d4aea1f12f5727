package com.fcminiapp.kit.internal;

import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnType;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.common.tables.FieldType;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The item encoding: one Tablestore attribute column per item field, of the type matching its JSON value (string
 * STRING, integer INTEGER, other number DOUBLE, boolean BOOLEAN), so a search index can be added later; objects,
 * arrays and numbers no INTEGER or DOUBLE holds exactly are BINARY columns holding their compact UTF-8 JSON.
 * A field the table's declaration indexes is stored as its declared type instead, so the search index can hold it
 * ({@link #encode(String, JsonNode, FieldType)}). Also the rules items follow: field names, ids, the size and
 * field-count limits.
 */
public final class ItemCodec {

    /** The stored version: 1 on create, +1 on each write. */
    public static final String VERSION = "_version";
    /** Epoch milliseconds of the last write. */
    public static final String UPDATED_AT = "_updatedAt";
    /** Epoch milliseconds of the create (kept by a replacing put). */
    public static final String CREATED_AT = "_createdAt";
    /** The uid of a shared table's row's creator (set on create, never changed). */
    public static final String OWNER = "_owner";
    public static final String ID = "id";
    /** The largest serialized item: the UTF-8 bytes of its compact JSON, {@code id} included (1 MiB). */
    public static final int MAX_ITEM_BYTES = 1024 * 1024;
    /** Fields per item besides {@code id}; Tablestore writes at most 1024 columns per row. */
    public static final int MAX_FIELDS = 1000;
    public static final int MAX_ID_CHARS = 256;

    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

    private ItemCodec() {
    }

    /** Checks a field name: the contract's pattern, and neither {@code uid} nor {@code id} (the key). */
    public static void checkFieldName(String name) {
        if (name.startsWith("_") || name.equals("uid")) {
            throw ApiException.invalid("Field name " + quoted(name) + " is reserved (uid and names starting with _).");
        }
        if (!FIELD_NAME.matcher(name).matches()) {
            throw ApiException.invalid("Field name " + quoted(name)
                    + " is not allowed; use a letter, then up to 63 letters, digits or _.");
        }
    }

    /** An item id: 1–256 characters, no control characters, no lone surrogates. */
    public static String checkId(JsonNode id, String field) {
        if (id == null || id.isNull()) {
            throw ApiException.invalid(field + " is missing; give the item's id (a string).");
        }
        if (!id.isTextual()) {
            throw ApiException.invalid(field + " must be a string.");
        }
        String text = id.asText();
        if (text.isEmpty() || text.codePointCount(0, text.length()) > MAX_ID_CHARS) {
            throw ApiException.invalid(field + " must be 1 to " + MAX_ID_CHARS + " characters.");
        }
        if (!isCleanText(text)) {
            throw ApiException.invalid(field + " must not hold control characters or broken Unicode.");
        }
        return text;
    }

    /** No control characters and no unpaired surrogates (they have no UTF-8 form). */
    static boolean isCleanText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Fails with PAYLOAD_TOO_LARGE when {@code item} (id and fields) is over the limits. */
    public static void checkSize(ObjectNode item) {
        if (item.size() - 1 > MAX_FIELDS) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "An item holds at most " + MAX_FIELDS + " fields besides id; nest some in an object.");
        }
        int bytes = Json.write(item).length;
        if (bytes > MAX_ITEM_BYTES) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "The item is " + bytes
                    + " bytes as compact JSON; the limit is " + MAX_ITEM_BYTES + " (1 MiB). Put large data in a file.");
        }
    }

    /** The column value for a non-null JSON value. */
    public static ColumnValue encode(JsonNode value) {
        if (value.isTextual()) {
            return ColumnValue.fromString(value.asText());
        }
        if (value.isBoolean()) {
            return ColumnValue.fromBoolean(value.booleanValue());
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return ColumnValue.fromLong(value.longValue());
        }
        if (value.isFloatingPointNumber()) {
            double d = value.doubleValue();
            if (Double.isFinite(d) && BigDecimal.valueOf(d).compareTo(value.decimalValue()) == 0) {
                return ColumnValue.fromDouble(d);
            }
        }
        // objects, arrays, and numbers beyond a long or a double: their exact JSON
        return ColumnValue.fromBinary(Json.write(value));
    }

    /** The JSON value of a stored column. */
    public static JsonNode decode(ColumnValue value) {
        switch (value.getType()) {
            case STRING:
                return TextNode.valueOf(value.asString());
            case INTEGER:
                return LongNode.valueOf(value.asLong());
            case DOUBLE:
                return DoubleNode.valueOf(value.asDouble());
            case BOOLEAN:
                return BooleanNode.valueOf(value.asBoolean());
            case BINARY:
                try {
                    return Json.readStored(value.asBinary());
                } catch (IOException e) {
                    throw new IllegalStateException("a BINARY column does not hold JSON", e);
                }
            default:
                throw new IllegalStateException("unknown column type " + value.getType());
        }
    }

    /**
     * The column value of a non-null value of {@code field}, declared {@code type} (null: not indexed, stored as
     * {@link #encode(JsonNode)}): string STRING, integer INTEGER, number DOUBLE, boolean BOOLEAN, string[] STRING of
     * the compact JSON array. A value that does not fit is INVALID_ARGUMENT naming the field and the type.
     */
    public static ColumnValue encode(String field, JsonNode value, FieldType type) {
        if (type == null) {
            return encode(value);
        }
        if (!type.accepts(value) || (type == FieldType.NUMBER && !exactDouble(value))) {
            throw ApiException.invalid("Field " + quoted(field) + " is indexed as " + type.wireName()
                    + (type == FieldType.NUMBER ? " (a number a double holds exactly)" : "")
                    + "; store a value of that type or leave the field out.");
        }
        return type == FieldType.STRING_ARRAY ? ColumnValue.fromString(new String(Json.write(value),
                StandardCharsets.UTF_8)) : indexValue(type, value);
    }

    /** The index's term for one value of a field of {@code type} (for string[]: one element, a string). */
    static ColumnValue indexValue(FieldType type, JsonNode value) {
        switch (type) {
            case INTEGER:
                return ColumnValue.fromLong(value.longValue());
            case NUMBER:
                return ColumnValue.fromDouble(value.doubleValue());
            case BOOLEAN:
                return ColumnValue.fromBoolean(value.booleanValue());
            default:
                return ColumnValue.fromString(value.asText());
        }
    }

    private static boolean exactDouble(JsonNode value) {
        double d = value.doubleValue();
        return Double.isFinite(d) && BigDecimal.valueOf(d).compareTo(value.decimalValue()) == 0;
    }

    /**
     * The JSON value of a stored column of a field declared {@code type} (null: not indexed): a string[] column's
     * array, and a number column's whole value as the integer it was written as ({@code 1.0} reads back {@code 1}).
     */
    public static JsonNode decode(ColumnValue value, FieldType type) {
        if (type == FieldType.STRING_ARRAY && value.getType() == ColumnType.STRING) {
            try {
                return Json.readStored(value.asString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("a string[] column does not hold a JSON array", e);
            }
        }
        if (type == FieldType.NUMBER && value.getType() == ColumnType.DOUBLE) {
            double d = value.asDouble();
            if (d == Math.rint(d) && Math.abs(d) <= (1L << 53) && !(d == 0 && 1 / d < 0)) {
                return LongNode.valueOf((long) d);
            }
        }
        return decode(value);
    }

    /** The item of a table whose declaration types its indexed fields ({@code types}: null when not indexed). */
    public static ObjectNode toItem(String id, Iterable<Column> columns, Function<String, FieldType> types) {
        ObjectNode item = toItem(id, columns);
        for (Column column : columns) {
            FieldType type = types.apply(column.getName());
            if (type != null && !column.getName().startsWith("_")) {
                item.set(column.getName(), decode(column.getValue(), type));
            }
        }
        return item;
    }

    /** The item as the client sees it: id, its fields, _version and _updatedAt. */
    public static ObjectNode toItem(String id, Iterable<Column> columns) {
        ObjectNode item = JsonNodeFactory.instance.objectNode();
        item.put(ID, id);
        Long version = null;
        Long updatedAt = null;
        for (Column column : columns) {
            String name = column.getName();
            if (name.equals(VERSION)) {
                version = column.getValue().asLong();
            } else if (name.equals(UPDATED_AT)) {
                updatedAt = column.getValue().asLong();
            } else if (!name.equals(ID)) {
                item.set(name, decode(column.getValue()));
            }
        }
        item.put(VERSION, version == null ? 0L : version);
        item.put(UPDATED_AT, updatedAt == null ? 0L : updatedAt);
        return item;
    }

    private static String quoted(String name) {
        String shown = name.length() > 70 ? name.substring(0, 70) + "…" : name;
        return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
