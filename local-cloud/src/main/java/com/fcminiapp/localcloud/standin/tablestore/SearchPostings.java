package com.fcminiapp.localcloud.standin.tablestore;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One index's postings: per indexed field, its values in {@link IndexField#VALUE_ORDER} → the storage keys of the
 * rows holding that value in <em>some</em> version the index keeps ({@link RowVersions#all()}), so that whichever
 * version the lag makes visible, its row is listed under that version's values. A superset, then: a search reads
 * candidates here and still tests each one's visible version. Changed only under the table's write lock (one writer
 * per table, in write order); read concurrently. Rows forgotten by a search (deleted, and the deletion visible) may
 * stay listed until written again: a listed key the view no longer holds is skipped.
 */
final class SearchPostings {

    /** The index these postings were built for (a search of a deleted and re-created index uses neither). */
    final IndexDefinition index;
    private final Map<String, ConcurrentNavigableMap<Object, Set<String>>> byField = new ConcurrentHashMap<>();

    SearchPostings(IndexDefinition index) {
        this.index = index;
        index.fields.forEach((name, field) -> {
            if (field.indexed) {
                byField.put(name, new ConcurrentSkipListMap<>(IndexField.VALUE_ORDER));
            }
        });
    }

    /** The postings of every row of {@code view}, built under the table's write lock. */
    static SearchPostings of(IndexDefinition index, Map<String, RowVersions> view) {
        SearchPostings postings = new SearchPostings(index);
        view.forEach(postings::list);
        return postings;
    }

    /** Field {@code name}'s values → row keys, or null when it is not indexed. */
    ConcurrentNavigableMap<Object, Set<String>> field(String name) {
        return byField.get(name);
    }

    /** Lists row {@code key} under every value its kept versions {@code versions} hold. */
    void list(String key, RowVersions versions) {
        byField.forEach((name, values) -> {
            for (Object value : valuesOf(versions, name)) {
                values.computeIfAbsent(value, v -> ConcurrentHashMap.newKeySet()).add(key);
            }
        });
    }

    /**
     * Row {@code key}'s kept versions went from {@code before} to {@code after} (null: none), and {@code after} is
     * listed already: drops it from the values no kept version holds any more. Called after the view holds
     * {@code after}, so that a search never misses a row it could see.
     */
    void unlistStale(String key, RowVersions before, RowVersions after) {
        if (before == null) {
            return;
        }
        byField.forEach((name, values) -> {
            Set<Object> kept = valuesOf(after, name);
            for (Object value : valuesOf(before, name)) {
                if (!kept.contains(value)) {
                    Set<String> keys = values.get(value);
                    if (keys != null && keys.remove(key) && keys.isEmpty()) {
                        values.remove(value, keys);
                    }
                }
            }
        });
    }

    private Set<Object> valuesOf(RowVersions versions, String field) {
        Set<Object> values = new HashSet<>();
        if (versions != null) {
            for (RowVersions.Version version : versions.all()) {
                if (version.row != null) {
                    List<Object> of = version.doc(index).get(field);
                    values.addAll(of);
                }
            }
        }
        return values;
    }
}
