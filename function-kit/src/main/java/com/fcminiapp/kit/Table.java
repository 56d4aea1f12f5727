package com.fcminiapp.kit;

/**
 * One data table, laid out as the db function's (primary key {@code uid} STRING, {@code id} STRING): each user's
 * rows live in that user's partition.
 */
public interface Table {

    String name();

    /** The caller's rows. */
    Rows rowsOf(Caller caller);

    /** Server authority: another user's rows, reached on purpose by an explicit call. */
    Rows rowsOf(String uid);

    /**
     * Every user's rows in key order (uid, then id), {@code limit} (1–100) per page after the page {@code next} (null:
     * the first) names. Each item carries {@code "_owner": <uid>}, added when read and never stored.
     */
    Page scan(int limit, String next);
}
