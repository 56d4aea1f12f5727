package com.fcminiapp.localcloud.standin.tablestore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recent writes of one row, oldest first, as the search indexes see them: an index answers with the newest
 * version written at least the lag ago, while {@link #latest()} is what the table holds now (what a search reads
 * back for the columns it returns). Immutable: a write replaces the whole object.
 */
final class RowVersions {

    /** Written before anything the stand-in remembers (rows found at start): visible at once. */
    static final long LONG_AGO = Long.MIN_VALUE;

    /** One write: the row after it, or {@code null} when it deleted the row. */
    static final class Version {
        final long writtenAt;
        final StoredRow row;
        private final Map<IndexDefinition, Map<String, List<Object>>> docs = new ConcurrentHashMap<>();

        Version(long writtenAt, StoredRow row) {
            this.writtenAt = writtenAt;
            this.row = row;
        }

        /** The values each field of {@code index} takes from this version (computed once per index). */
        Map<String, List<Object>> doc(IndexDefinition index) {
            return docs.computeIfAbsent(index, definition -> {
                Map<String, List<Object>> values = new HashMap<>();
                definition.fields.forEach((name, field) -> values.put(name, field.valuesOf(row)));
                return values;
            });
        }
    }

    private final List<Version> versions;

    private RowVersions(List<Version> versions) {
        this.versions = versions;
    }

    static RowVersions of(long writtenAt, StoredRow row) {
        return new RowVersions(List.of(new Version(writtenAt, row)));
    }

    /**
     * These versions and a new one written at {@code at}, without the versions no index can see any more: those
     * older than the newest one written at or before {@code cutoff} (now minus the lag).
     */
    RowVersions with(long at, StoredRow row, long cutoff) {
        List<Version> kept = new ArrayList<>(versions.size() + 1);
        for (Version version : versions) {
            if (version.writtenAt <= cutoff) {
                kept.clear();
            }
            kept.add(version);
        }
        kept.add(new Version(at, row));
        return new RowVersions(List.copyOf(kept));
    }

    /** The newest version written at or before {@code cutoff}, or null when every write is newer. */
    Version visibleAt(long cutoff) {
        Version visible = null;
        for (Version version : versions) {
            if (version.writtenAt <= cutoff) {
                visible = version;
            }
        }
        return visible;
    }

    /** Every version kept, oldest first: what some index may still see, or will see once the lag has passed. */
    List<Version> all() {
        return versions;
    }

    Version latest() {
        return versions.get(versions.size() - 1);
    }

    /** Whether this row is deleted and every index already sees that, so it may be forgotten. */
    boolean goneAt(long cutoff) {
        return latest().row == null && latest().writtenAt <= cutoff;
    }
}
