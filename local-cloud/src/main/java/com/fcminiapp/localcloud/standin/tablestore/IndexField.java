package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.core.protocol.Search;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnType;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.PrimaryKeyColumn;
import com.alicloud.openservices.tablestore.model.PrimaryKeyType;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.aliyun.ots.thirdparty.com.google.protobuf.ByteString;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One field of a search index as the stand-in emulates it (KEYWORD, LONG, DOUBLE, BOOLEAN, each optionally an
 * array): how a row's column becomes the field's values, and how a query's variant-encoded value is read for it.
 * Values are {@code String}, {@code Long}, {@code Double} or {@code Boolean}.
 */
final class IndexField {

    /** Order of two values of one field: strings by code point (Tablestore's UTF-8 byte order), others naturally. */
    static final Comparator<Object> VALUE_ORDER = IndexField::compareValues;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte VT_INTEGER = 0x0;
    private static final byte VT_DOUBLE = 0x1;
    private static final byte VT_BOOLEAN = 0x2;
    private static final byte VT_STRING = 0x3;

    final String name;
    final Search.FieldType type;
    final boolean isArray;
    final boolean indexed;
    final boolean sortable;

    IndexField(Search.FieldSchema schema) {
        this.name = schema.getFieldName();
        this.type = schema.getFieldType();
        this.isArray = schema.getIsArray();
        this.indexed = !schema.hasIndex() || schema.getIndex();
        this.sortable = schema.getSortAndAgg();
    }

    /**
     * The values row {@code row} gives this field: none when the column is absent or its stored type does not fit
     * the field's (Tablestore drops such a value from the index), one per element for an array field.
     */
    List<Object> valuesOf(StoredRow row) {
        if (row.primaryKey.contains(name)) {
            Object value = primaryKeyValue(row.primaryKey.getPrimaryKeyColumn(name));
            return value == null ? List.of() : List.of(value);
        }
        Column column = row.columns.get(name);
        if (column == null) {
            return List.of();
        }
        ColumnValue value = column.getValue();
        if (isArray) {
            return value.getType() == ColumnType.STRING ? arrayValues(value.asString()) : List.of();
        }
        Object single = columnValue(value);
        return single == null ? List.of() : List.of(single);
    }

    private Object primaryKeyValue(PrimaryKeyColumn column) {
        PrimaryKeyValue value = column.getValue();
        if (value.getType() == PrimaryKeyType.STRING && type == Search.FieldType.KEYWORD) {
            return value.asString();
        }
        if (value.getType() == PrimaryKeyType.INTEGER && type == Search.FieldType.LONG) {
            return value.asLong();
        }
        return null;
    }

    private Object columnValue(ColumnValue value) {
        switch (type) {
            case KEYWORD:
                return value.getType() == ColumnType.STRING ? value.asString() : null;
            case LONG:
                return value.getType() == ColumnType.INTEGER ? value.asLong() : null;
            case DOUBLE:
                return value.getType() == ColumnType.DOUBLE ? (Object) value.asDouble() : null;
            case BOOLEAN:
                return value.getType() == ColumnType.BOOLEAN ? value.asBoolean() : null;
            default:
                return null;
        }
    }

    /** Each element of a JSON array string; nothing at all when it is no array or an element does not fit. */
    private List<Object> arrayValues(String text) {
        JsonNode array;
        try {
            array = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return List.of();
        }
        if (array == null || !array.isArray()) {
            return List.of();
        }
        List<Object> values = new ArrayList<>();
        for (JsonNode element : array) {
            if (element.isNull()) {
                continue;
            }
            Object value = jsonValue(element);
            if (value == null) {
                return List.of();
            }
            values.add(value);
        }
        return List.copyOf(values);
    }

    private Object jsonValue(JsonNode element) {
        switch (type) {
            case KEYWORD:
                return element.isTextual() ? element.textValue() : null;
            case LONG:
                return element.isIntegralNumber() && element.canConvertToLong() ? (Object) element.longValue() : null;
            case DOUBLE:
                return element.isNumber() ? (Object) element.doubleValue() : null;
            case BOOLEAN:
                return element.isBoolean() ? element.booleanValue() : null;
            default:
                return null;
        }
    }

    /**
     * A query's value for this field (a term, a range bound, a missing value), in the SDK's variant encoding; a
     * value of another type is refused as the service refuses it. A DOUBLE field also takes an integer.
     */
    Object queryValue(ByteString variant, String what) {
        byte[] data = variant.toByteArray();
        if (data.length == 0) {
            throw OtsError.invalid(what + " of field [" + name + "] is empty.");
        }
        byte kind = data[0];
        try {
            if (type == Search.FieldType.KEYWORD && kind == VT_STRING) {
                int length = ByteBuffer.wrap(data, 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                return new String(data, 5, length, StandardCharsets.UTF_8);
            }
            if (type == Search.FieldType.LONG && kind == VT_INTEGER) {
                return ByteBuffer.wrap(data, 1, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            }
            if (type == Search.FieldType.DOUBLE && kind == VT_DOUBLE) {
                return ByteBuffer.wrap(data, 1, 8).order(ByteOrder.LITTLE_ENDIAN).getDouble();
            }
            if (type == Search.FieldType.DOUBLE && kind == VT_INTEGER) {
                return (double) ByteBuffer.wrap(data, 1, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            }
            if (type == Search.FieldType.BOOLEAN && kind == VT_BOOLEAN) {
                return data[1] != 0;
            }
        } catch (IndexOutOfBoundsException e) {
            throw OtsError.invalid(what + " of field [" + name + "] is malformed.");
        }
        throw OtsError.invalid(what + " of field [" + name + "] must be of type " + type + ", but is "
                + variantName(kind) + ".");
    }

    private static String variantName(byte kind) {
        switch (kind) {
            case VT_INTEGER:
                return "INTEGER";
            case VT_DOUBLE:
                return "DOUBLE";
            case VT_BOOLEAN:
                return "BOOLEAN";
            case VT_STRING:
                return "STRING";
            default:
                return "an unknown type (" + kind + ")";
        }
    }

    /** The variant encoding of {@code value} (the SDK's {@code SearchVariantType}), for tokens. */
    static byte[] variantOf(Object value) {
        if (value instanceof String) {
            byte[] bytes = ((String) value).getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(5 + bytes.length).order(ByteOrder.LITTLE_ENDIAN)
                    .put(VT_STRING).putInt(bytes.length).put(bytes).array();
        }
        if (value instanceof Long) {
            return ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN).put(VT_INTEGER).putLong((Long) value).array();
        }
        if (value instanceof Double) {
            return ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN).put(VT_DOUBLE).putDouble((Double) value).array();
        }
        return new byte[] {VT_BOOLEAN, (byte) (Boolean.TRUE.equals(value) ? 1 : 0)};
    }

    /** A variant-encoded value of any type. */
    static Object variantValue(byte[] data) {
        ByteBuffer buffer = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        byte kind = buffer.get();
        switch (kind) {
            case VT_INTEGER:
                return buffer.getLong();
            case VT_DOUBLE:
                return buffer.getDouble();
            case VT_BOOLEAN:
                return buffer.get() != 0;
            case VT_STRING:
                byte[] text = new byte[buffer.getInt()];
                buffer.get(text);
                return new String(text, StandardCharsets.UTF_8);
            default:
                throw OtsError.invalid("Unknown variant type: " + kind + ".");
        }
    }

    @SuppressWarnings("unchecked")
    static int compareValues(Object a, Object b) {
        if (a instanceof String && b instanceof String) {
            return compareCodePoints((String) a, (String) b);
        }
        return ((Comparable<Object>) a).compareTo(b);
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
