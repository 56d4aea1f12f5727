package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.core.protocol.OtsInternalApi;
import com.alicloud.openservices.tablestore.core.protocol.PlainBufferRow;
import com.alicloud.openservices.tablestore.core.protocol.Search;
import com.aliyun.ots.thirdparty.com.google.protobuf.ByteString;
import com.aliyun.ots.thirdparty.com.google.protobuf.InvalidProtocolBufferException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.function.Predicate;

/**
 * One Search request: the query compiled against the index, the rows the index sees now that it matches found
 * (through the index's postings when a term is required or the sort's field can be walked, else by testing every
 * row), the page after the token (or offset) cut, and the rows answered in PlainBuffer as GetRange answers them.
 */
final class SearchRun {

    /** The service's page limit when a column must be read from the table, and when the index holds them all. */
    static final int MAX_LIMIT = 100;
    static final int MAX_LIMIT_FROM_INDEX = 1000;
    static final int MAX_OFFSET_PLUS_LIMIT = 100_000;
    /** The page size when the query names none. */
    static final int DEFAULT_LIMIT = 10;
    /** Rows a walk down a sorted field may test beyond the page before a scan of all is the cheaper way. */
    private static final int WALK_BUDGET = 1000;

    /** A matching row: its storage key, sort key, what the index holds and what the table holds now. */
    private static final class Hit {
        final Object[] sortKey;
        final RowVersions.Version indexed;
        final RowVersions.Version current;

        Hit(Object[] sortKey, RowVersions.Version indexed, RowVersions.Version current) {
            this.sortKey = sortKey;
            this.indexed = indexed;
            this.current = current;
        }
    }

    /** The first rows of a search in its order, and how many rows match in all (when it was counted). */
    private static final class Found {
        final List<Hit> first;
        final int total;

        Found(List<Hit> first, int total) {
            this.first = first;
            this.total = total;
        }
    }

    private final SearchIndexes indexes;

    SearchRun(SearchIndexes indexes) {
        this.indexes = indexes;
    }

    Search.SearchResponse search(Search.SearchRequest request) throws InvalidProtocolBufferException {
        IndexDefinition index = indexes.find(request.getTableName(), request.getIndexName());
        Search.SearchQuery query = Search.SearchQuery.parseFrom(request.getSearchQuery());
        refuseNotEmulated(query);
        Search.ColumnsToGet columns = request.hasColumnsToGet() ? request.getColumnsToGet()
                : Search.ColumnsToGet.newBuilder().setReturnType(Search.ColumnReturnType.RETURN_NONE).build();
        int limit = query.hasLimit() ? query.getLimit() : DEFAULT_LIMIT;
        int offset = query.hasOffset() ? query.getOffset() : 0;
        checkPage(limit, offset, columns, index, query.hasToken());
        Predicate<Map<String, List<Object>>> matcher = SearchMatcher.compile(index,
                query.hasQuery() ? query.getQuery() : null);
        SearchSort sort = sortOf(query, index);
        SearchSort.Position after = query.hasToken() ? SearchSort.readToken(query.getToken(), index) : null;
        int skip = after == null ? offset : 0;
        // the page and one row more (whether a next page exists), after the token's row
        Found found = find(index, query, matcher, sort, after, skip + limit + 1);
        List<Hit> first = found.first;
        List<Hit> page = first.subList(Math.min(skip, first.size()), Math.min(skip + limit, first.size()));
        Search.SearchResponse.Builder answer = Search.SearchResponse.newBuilder()
                .setTotalHits(totalHits(query, found.total))
                .setIsAllSucceeded(true)
                .setConsumed(OtsInternalApi.ConsumedCapacity.newBuilder()
                        .setCapacityUnit(OtsInternalApi.CapacityUnit.newBuilder().setRead(1).setWrite(0)));
        for (Hit hit : page) {
            answer.addRows(ByteString.copyFrom(StoredRow.encode(List.of(shown(hit, columns, index)))));
        }
        if (!page.isEmpty() && first.size() > skip + limit) {
            answer.setNextToken(ByteString.copyFrom(sort.token(page.get(page.size() - 1).sortKey)));
        }
        return answer.build();
    }

    private static void refuseNotEmulated(Search.SearchQuery query) {
        if (query.hasAggs() || query.hasGroupBys() || query.hasCollapse() || query.hasHighlight()
                || query.hasFilter()) {
            throw IndexDefinition.notEmulated("aggregations, group-bys, collapse, highlight or a search filter");
        }
    }

    private static void checkPage(int limit, int offset, Search.ColumnsToGet columns, IndexDefinition index,
            boolean token) {
        if (limit < 0) {
            throw OtsError.invalid("[search.limit] must be greater than or equal to 0, current limit is " + limit
                    + ".");
        }
        if (offset < 0) {
            throw OtsError.invalid("[search.offset] must be greater than or equal to 0, current offset is " + offset
                    + ".");
        }
        if (limit > MAX_LIMIT && (!allFromIndex(columns, index) || limit > MAX_LIMIT_FROM_INDEX)) {
            int max = allFromIndex(columns, index) ? MAX_LIMIT_FROM_INDEX : MAX_LIMIT;
            throw OtsError.invalid("[search.limit] must be less than " + max + ", current limit is " + limit + ".");
        }
        if ((long) offset + limit > MAX_OFFSET_PLUS_LIMIT) {
            throw OtsError.invalid("Parameter limit + offset must be less than " + MAX_OFFSET_PLUS_LIMIT
                    + ", current offset is " + offset + ", limit is " + limit + ".");
        }
        if (token && offset > 0) {
            throw OtsError.invalid("[search.offset] must be 0 when a token is given, current offset is " + offset
                    + ".");
        }
    }

    /** Whether every column answered is in the index (then pages go up to 1000 rows). */
    private static boolean allFromIndex(Search.ColumnsToGet columns, IndexDefinition index) {
        switch (columns.getReturnType()) {
            case RETURN_NONE:
            case RETURN_ALL_FROM_INDEX:
                return true;
            case RETURN_SPECIFIED:
                return index.fields.keySet().containsAll(columns.getColumnNamesList());
            default:
                return false;
        }
    }

    /**
     * The sort: the token's when one is given (a request naming another sort with it is refused), else the
     * request's, else the index's.
     */
    private static SearchSort sortOf(Search.SearchQuery query, IndexDefinition index) {
        if (query.hasToken()) {
            SearchSort.Position position = SearchSort.readToken(query.getToken(), index);
            if (query.hasSort() && !query.getSort().equals(position.sort)) {
                throw OtsError.invalid("The sort of the request does not match the sort the token was made with;"
                        + " a token must be used with the sort (or no sort) of the search that returned it.");
            }
            return SearchSort.of(position.sort, index);
        }
        return query.hasSort() && query.getSort().getSorterCount() > 0 ? SearchSort.of(query.getSort(), index)
                : SearchSort.defaultFor(index);
    }

    /**
     * The storage-key range every match lies in when the query requires one value of the table's partition key (a
     * private table's {@code uid}), so that only that partition is read; null for the whole table. Only a speed-up:
     * the matcher still tests each row.
     */
    private String[] partition(IndexDefinition index, Search.SearchQuery query) {
        String key = indexes.stringPartitionKey(index.table);
        IndexField field = key == null ? null : index.fields.get(key);
        if (field == null || !field.indexed || !query.hasQuery()) {
            return null;
        }
        String value = SearchMatcher.requiredKeyword(query.getQuery(), key);
        return value == null ? null : PrimaryKeyOrder.firstColumnRange(value);
    }

    /**
     * The first {@code count} matches after {@code after}, sorted, found the cheapest way that gives the same
     * rows: the candidates of a term the query requires (postings), else a walk down the sorted field's values
     * (when no total is asked), else a test of every row the index sees.
     */
    private Found find(IndexDefinition index, Search.SearchQuery query, Predicate<Map<String, List<Object>>> matcher,
            SearchSort sort, SearchSort.Position after, int count) {
        long cutoff = indexes.cutoff();
        if (index.createdAt > cutoff) {
            return new Found(List.of(), 0);
        }
        SearchPostings postings = indexes.postings(index);
        if (postings != null && postings.index == index) {
            Set<String> candidates = query.hasQuery() ? SearchMatcher.candidates(query.getQuery(), postings) : null;
            if (candidates != null) {
                List<Hit> hits = new ArrayList<>();
                ConcurrentNavigableMap<String, RowVersions> view = indexes.view(index);
                for (String key : candidates) {
                    Hit hit = hit(key, view.get(key), cutoff, index, matcher, sort);
                    if (hit != null) {
                        hits.add(hit);
                    }
                }
                return cut(hits, after, sort, count);
            }
            List<Hit> walked = tracksTotal(query) ? null : walk(postings, matcher, sort, after, count, cutoff);
            if (walked != null) {
                return new Found(walked, 0);
            }
        }
        return cut(matches(index, matcher, sort, partition(index, query), cutoff), after, sort, count);
    }

    private static Found cut(List<Hit> hits, SearchSort.Position after, SearchSort sort, int count) {
        List<Hit> first = smallest(after == null ? hits : following(hits, after.after, sort), count, sort);
        return new Found(first, hits.size());
    }

    /**
     * The first {@code count} matches after {@code after} found in the order of the sort's first field, value by
     * value (each value's rows sorted by the whole sort); null when the walk cannot tell (the token sits among rows
     * without the field, fewer rows have the field than asked for: rows without it come after all others, or the
     * filter rejects so many rows that the walk would test more than the page plus {@link #WALK_BUDGET}).
     */
    private List<Hit> walk(SearchPostings postings, Predicate<Map<String, List<Object>>> matcher, SearchSort sort,
            SearchSort.Position after, int count, long cutoff) {
        IndexField field = sort.walkableField();
        NavigableMap<Object, Set<String>> values = field == null ? null : postings.field(field.name);
        if (values == null || (after != null && after.after[0] == null)) {
            return null;
        }
        NavigableMap<Object, Set<String>> ordered = sort.firstDescending() ? values.descendingMap() : values;
        if (after != null) {
            ordered = ordered.tailMap(after.after[0], true);
        }
        ConcurrentNavigableMap<String, RowVersions> view = indexes.view(postings.index);
        List<Hit> first = new ArrayList<>();
        long budget = (long) count + WALK_BUDGET;
        for (Map.Entry<Object, Set<String>> entry : ordered.entrySet()) {
            int start = first.size();
            budget -= entry.getValue().size();
            if (budget < 0) {
                // a selective filter: most rows walked are not matches
                return null;
            }
            for (String key : entry.getValue()) {
                Hit hit = hit(key, view.get(key), cutoff, postings.index, matcher, sort);
                // a row is listed under every value its kept versions hold: take it at the value it sorts by
                if (hit != null && hit.sortKey[0] != null && IndexField.compareValues(hit.sortKey[0], entry.getKey()) == 0
                        && (after == null || sort.compare(hit.sortKey, after.after) > 0)) {
                    first.add(hit);
                }
            }
            first.subList(start, first.size()).sort((a, b) -> sort.compare(a.sortKey, b.sortKey));
            if (first.size() >= count) {
                return first.subList(0, count);
            }
        }
        return null;
    }

    /** Row {@code key} as a hit when the index sees a version of it now that {@code matcher} accepts, else null. */
    private static Hit hit(String key, RowVersions versions, long cutoff, IndexDefinition index,
            Predicate<Map<String, List<Object>>> matcher, SearchSort sort) {
        RowVersions.Version visible = versions == null ? null : versions.visibleAt(cutoff);
        if (visible == null || visible.row == null) {
            return null;
        }
        Map<String, List<Object>> doc = visible.doc(index);
        return matcher.test(doc) ? new Hit(sort.keyOf(key, doc), visible, versions.latest()) : null;
    }

    /** Every row the index sees now that {@code matcher} accepts; rows deleted for good are forgotten on the way. */
    private List<Hit> matches(IndexDefinition index, Predicate<Map<String, List<Object>>> matcher, SearchSort sort,
            String[] partition, long cutoff) {
        List<Hit> hits = new ArrayList<>();
        ConcurrentNavigableMap<String, RowVersions> view = partition == null ? indexes.view(index)
                : indexes.view(index).subMap(partition[0], true, partition[1], false);
        for (Map.Entry<String, RowVersions> entry : view.entrySet()) {
            RowVersions versions = entry.getValue();
            if (versions.goneAt(cutoff)) {
                view.remove(entry.getKey(), versions);
                continue;
            }
            Hit hit = hit(entry.getKey(), versions, cutoff, index, matcher, sort);
            if (hit != null) {
                hits.add(hit);
            }
        }
        return hits;
    }

    /** The hits that sort after the token's sort key {@code after}. */
    private static List<Hit> following(List<Hit> hits, Object[] after, SearchSort sort) {
        List<Hit> later = new ArrayList<>();
        for (Hit hit : hits) {
            if (sort.compare(hit.sortKey, after) > 0) {
                later.add(hit);
            }
        }
        return later;
    }

    /**
     * The first {@code count} hits in the sort's order, sorted: a bounded heap when that is a small part of them (a
     * page of the newest of many rows), else one sort of all.
     */
    private static List<Hit> smallest(List<Hit> hits, int count, SearchSort sort) {
        Comparator<Hit> order = (a, b) -> sort.compare(a.sortKey, b.sortKey);
        if ((long) count * 4 >= hits.size()) {
            hits.sort(order);
            return hits.subList(0, Math.min(count, hits.size()));
        }
        PriorityQueue<Hit> largestFirst = new PriorityQueue<>(count + 1, order.reversed());
        for (Hit hit : hits) {
            largestFirst.add(hit);
            if (largestFirst.size() > count) {
                largestFirst.poll();
            }
        }
        List<Hit> first = new ArrayList<>(largestFirst);
        first.sort(order);
        return first;
    }

    private static boolean tracksTotal(Search.SearchQuery query) {
        return query.hasTrackTotalCount() && query.getTrackTotalCount() > 0;
    }

    private static long totalHits(Search.SearchQuery query, int matches) {
        int track = query.hasTrackTotalCount() ? query.getTrackTotalCount() : -1;
        if (track <= 0) {
            return -1;
        }
        return Math.min(matches, track);
    }

    /**
     * The columns answered for a hit: RETURN_ALL and RETURN_SPECIFIED read the row as the table holds it now (the
     * service reads them back from the table), RETURN_ALL_FROM_INDEX the indexed columns as the index holds them,
     * RETURN_NONE the primary key only. A row deleted since it was indexed shows its primary key only.
     */
    private static PlainBufferRow shown(Hit hit, Search.ColumnsToGet columns, IndexDefinition index) {
        StoredRow current = hit.current.row;
        switch (columns.getReturnType()) {
            case RETURN_ALL:
                return current == null ? hit.indexed.row.primaryKeyOnly() : current.project(List.of());
            case RETURN_SPECIFIED:
                return projected(current == null ? hit.indexed.row : current,
                        current == null ? List.of() : columns.getColumnNamesList());
            case RETURN_ALL_FROM_INDEX:
                return projected(hit.indexed.row, new ArrayList<>(index.fields.keySet()));
            default:
                return hit.indexed.row.primaryKeyOnly();
        }
    }

    private static PlainBufferRow projected(StoredRow row, List<String> names) {
        PlainBufferRow shown = names.isEmpty() ? null : row.project(names);
        return shown == null ? row.primaryKeyOnly() : shown;
    }
}
