package com.fcminiapp.common.tables;

import com.fasterxml.jackson.databind.JsonNode;

/** The type of an indexed field, as declared in a table's {@code indexes}. */
public enum FieldType {
    STRING("string"),
    INTEGER("integer"),
    NUMBER("number"),
    BOOLEAN("boolean"),
    STRING_ARRAY("string[]");

    private final String wireName;

    FieldType(String wireName) {
        this.wireName = wireName;
    }

    /** The name the declaration uses: {@code "string"}, {@code "integer"}, ..., {@code "string[]"}. */
    public String wireName() {
        return wireName;
    }

    /** The type named {@code s} in a declaration, or null when no type has that name. */
    public static FieldType fromWire(String s) {
        for (FieldType type : values()) {
            if (type.wireName.equals(s)) {
                return type;
            }
        }
        return null;
    }

    /**
     * Whether {@code value} fits this type: an integer is a whole number within the long range ({@code 3},
     * {@code 3.0}), a number any number, a {@code string[]} an array whose every element is a string. JSON null
     * (no such field) and a Java null fit no type.
     */
    public boolean accepts(JsonNode value) {
        if (value == null) {
            return false;
        }
        switch (this) {
            case STRING:
                return value.isTextual();
            case INTEGER:
                return value.isNumber() && value.canConvertToExactIntegral() && value.canConvertToLong();
            case NUMBER:
                return value.isNumber();
            case BOOLEAN:
                return value.isBoolean();
            default:
                if (!value.isArray()) {
                    return false;
                }
                for (JsonNode element : value) {
                    if (!element.isTextual()) {
                        return false;
                    }
                }
                return true;
        }
    }

    /** Whether a query may sort on a field of this type: all but {@code string[]} (an array has no one value). */
    public boolean sortable() {
        return this != STRING_ARRAY;
    }
}
