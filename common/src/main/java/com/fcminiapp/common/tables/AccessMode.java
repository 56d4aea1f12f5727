package com.fcminiapp.common.tables;

/** A data table's access mode, as declared in {@code tables.json} (contract "Shared tables, access modes"). */
public enum AccessMode {
    PRIVATE("private"),
    CREATOR_WRITE("creator-write"),
    SERVER_WRITE("server-write"),
    SERVER_ONLY("server-only"),
    RULES("rules");

    private final String wireName;

    AccessMode(String wireName) {
        this.wireName = wireName;
    }

    /** The name the declaration and the console use: {@code "private"}, {@code "creator-write"}, ... */
    public String wireName() {
        return wireName;
    }

    /** The mode named {@code s} in a declaration, or null when no mode has that name. */
    public static AccessMode fromWire(String s) {
        for (AccessMode mode : values()) {
            if (mode.wireName.equals(s)) {
                return mode;
            }
        }
        return null;
    }
}
