package com.fcminiapp.localcloud.standin.tablestore;

/**
 * What the table engine tells the search indexes: each row write, under the table's write lock (so calls for one
 * table come one at a time, in the order the writes were applied), and each table deletion.
 */
interface RowObserver {

    /** Observes nothing. */
    RowObserver NONE = new RowObserver() {
        @Override
        public void rowWritten(String table, String key, StoredRow row, long at) {
        }

        @Override
        public void tableDeleted(String table) {
        }
    };

    /**
     * Row {@code key} of {@code table} now holds {@code row} ({@code null}: deleted), written at {@code at} (epoch ms
     * of the stand-in's clock).
     */
    void rowWritten(String table, String key, StoredRow row, long at);

    /** {@code table} was deleted, with every row. */
    void tableDeleted(String table);
}
