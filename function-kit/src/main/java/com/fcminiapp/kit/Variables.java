package com.fcminiapp.kit;

/**
 * The team's own environment variables. Every problem is collected and the initializer fails once, naming every bad
 * or missing variable together with the kit's own (never a value). The kit's variables (TABLESTORE_*, APP_TABLES,
 * OSS_*, ...) are not read here.
 */
public interface Variables {

    /** The variable's value, trimmed; missing or blank is a problem. */
    String required(String name);

    /** The variable's value, trimmed, or {@code defaultValue} when missing or blank. */
    String optional(String name, String defaultValue);

    /** A whole number from {@code min} to {@code max}, or {@code defaultValue} when missing; anything else is a problem. */
    long integer(String name, long defaultValue, long min, long max);
}
