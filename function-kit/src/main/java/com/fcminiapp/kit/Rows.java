package com.fcminiapp.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One user's rows of one table, in exactly the db function's encoding and rules (field names, ids, sizes,
 * {@code _version}, {@code _updatedAt}, {@code _createdAt}, and on a shared table {@code _owner}): a row written here
 * is read back exactly by the db function's get, and vice versa. On a private table they are that user's rows; on
 * a shared table ({@link Table#mode()} other than {@code private}) they are the table's one shared set of rows,
 * reached with server authority (no mode or rule applies to an app function), and rows created here get
 * {@code _owner} = that user. Failures are {@link com.fcminiapp.common.error.ApiException}s with the db function's
 * codes.
 */
public interface Rows {

    /** The item (its fields, {@code id}, {@code _version}, {@code _updatedAt}, ...), or null when absent. */
    ObjectNode get(String id);

    /** Stores {@code obj} (with a string {@code id}) whole; returns {@code {"id", "_version"}}. */
    ObjectNode put(ObjectNode obj);

    /** As {@link #put(ObjectNode)}, demanding {@code expect} of the stored item and, when not null, its version. */
    ObjectNode put(ObjectNode obj, Expect expect, Long version);

    /**
     * Stores {@code obj} (without {@code id}) as a new row with a server-made id (a ULID: unique, sortable by
     * creation time); returns {@code {"id", "_version"}}.
     */
    ObjectNode add(ObjectNode obj);

    /**
     * Sets and unsets fields of an existing item (NOT_FOUND when missing; a null in {@code set} unsets; {@code unset}
     * may be null), checking {@code version} when not null; returns the item after.
     */
    ObjectNode update(String id, ObjectNode set, List<String> unset, Long version);

    /**
     * The db function's update: {@code ops} is its object {@code {"set", "unset", "inc", "push", "pull",
     * "version"}} (each optional; a field named once across them; {@code inc} atomic). Returns the item after.
     */
    ObjectNode update(String id, JsonNode ops);

    /**
     * Adds {@code delta} to the integer field atomically (a missing row or field counts as 0), bumping
     * {@code _version} and setting {@code _updatedAt}; returns the field's new value.
     */
    long increment(String id, String field, long delta);

    /** Deletes the item; without {@code version} a missing item is fine, with it NOT_FOUND or CONFLICT as in the db function. */
    void remove(String id, Long version);

    /**
     * One page of items in id order (descending when {@code reverse}) whose id starts with {@code prefix} (null or
     * empty: all), {@code limit} 1–100, after the page {@code next} (null: the first) names.
     */
    Page list(int limit, String prefix, boolean reverse, String next);

    /**
     * One page of the rows matching {@code where} (the db function's query: null for every row) in {@code orderBy}
     * order (null: by id; ties by id), {@code limit} 1–100, after the page {@code next} (null: the first) names. It
     * runs on the table's search index, which trails writes by up to a few seconds.
     */
    Page query(JsonNode where, JsonNode orderBy, int limit, String next);

    /** How many rows match {@code where} (null: all), on the search index as {@link #query}. */
    long count(JsonNode where);
}
