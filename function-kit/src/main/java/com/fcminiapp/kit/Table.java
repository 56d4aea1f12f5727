package com.fcminiapp.kit;

/**
 * One data table, laid out as the db function's (primary key {@code uid} STRING, {@code id} STRING): a private
 * table's rows live in each user's partition, a shared table's (every other mode) in one shared partition.
 */
public interface Table {

    String name();

    /**
     * The table's access mode as DATA_TABLES declares it: {@code private} (also for a table APP_TABLES names without
     * a declaration), {@code creator-write}, {@code server-write}, {@code server-only} or {@code rules}.
     */
    String mode();

    /** The caller's rows (on a shared table: the shared rows, rows created getting {@code _owner} = the caller). */
    Rows rowsOf(Caller caller);

    /** Server authority: another user's rows (on a shared table: the shared rows, created with that {@code _owner}). */
    Rows rowsOf(String uid);

    /**
     * Every row in key order (uid, then id), {@code limit} (1–100) per page after the page {@code next} (null: the
     * first) names. Each item carries {@code "_owner"}: on a private table its partition's uid, added when read and
     * never stored; on a shared table the stored creator.
     */
    Page scan(int limit, String next);
}
