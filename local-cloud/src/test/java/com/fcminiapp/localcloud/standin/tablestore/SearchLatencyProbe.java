package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.BatchWriteRowRequest;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.search.CreateSearchIndexRequest;
import com.alicloud.openservices.tablestore.model.search.FieldType;
import com.alicloud.openservices.tablestore.model.search.IndexSchema;
import com.alicloud.openservices.tablestore.model.search.SearchQuery;
import com.alicloud.openservices.tablestore.model.search.SearchRequest;
import com.alicloud.openservices.tablestore.model.search.query.BoolQuery;
import com.alicloud.openservices.tablestore.model.search.query.MatchAllQuery;
import com.alicloud.openservices.tablestore.model.search.query.Query;
import com.alicloud.openservices.tablestore.model.search.query.TermQuery;
import com.alicloud.openservices.tablestore.model.search.sort.FieldSort;
import com.alicloud.openservices.tablestore.model.search.sort.Sort;
import com.alicloud.openservices.tablestore.model.search.sort.SortOrder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Prints GetRow and Search latency through the real SDK against the Tablestore stand-in alone, on the guestbook's
 * shape (10,000 rows of 100 owners in one partition; latest 20 by {@code _createdAt}, and the same for one owner),
 * at 1 and 8 concurrent callers. A measurement to read (docs/performance.md, "Queries"), not a test.
 * Run: {@code java -cp <test classpath> com.fcminiapp.localcloud.standin.tablestore.SearchLatencyProbe [calls]}.
 */
public final class SearchLatencyProbe {

    private static final int ROWS = 10_000;
    private static final int OWNERS = 100;
    private static final int CALLERS = 8;

    private SearchLatencyProbe() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        try (TablestoreFixture fixture = new TablestoreFixture()) {
            fixture.standIn.searchLag(Duration.ZERO);
            SyncClient client = fixture.client();
            fixture.createTodoTable(client);
            createIndex(client);
            seed(client);
            for (int callers : new int[] {1, CALLERS}) {
                for (int round = 0; round < 2; round++) {
                    report(callers, "get", run(callers, calls, i -> get(client, i)));
                    report(callers, "latest", run(callers, calls, i -> search(client, new MatchAllQuery())));
                    report(callers, "owner", run(callers, calls, i -> search(client, owner(i))));
                }
            }
        }
    }

    private static void createIndex(SyncClient client) {
        IndexSchema schema = new IndexSchema();
        schema.setFieldSchemas(List.of(SearchFixture.sortable("id", FieldType.KEYWORD),
                SearchFixture.sortable("_createdAt", FieldType.LONG), SearchFixture.sortable("_owner", FieldType.KEYWORD),
                SearchFixture.sortable("likes", FieldType.LONG)));
        CreateSearchIndexRequest request = new CreateSearchIndexRequest(TablestoreFixture.TABLE, "guestbook_index");
        request.setIndexSchema(schema);
        client.createSearchIndex(request);
    }

    private static void seed(SyncClient client) {
        for (int start = 0; start < ROWS; start += 200) {
            BatchWriteRowRequest batch = new BatchWriteRowRequest();
            for (int i = start; i < start + 200; i++) {
                RowPutChange change = new RowPutChange(TablestoreFixture.TABLE, TablestoreFixture.key("*", id(i)));
                change.addColumn("_owner", ColumnValue.fromString("user" + (i % OWNERS)));
                change.addColumn("_createdAt", ColumnValue.fromLong(1_700_000_000_000L + i));
                change.addColumn("_version", ColumnValue.fromLong(1));
                change.addColumn("likes", ColumnValue.fromLong(i % 13));
                change.addColumn("text", ColumnValue.fromString("a guestbook message of a typical length " + i));
                batch.addRowChange(change);
            }
            client.batchWriteRow(batch);
        }
    }

    private static String id(int i) {
        return String.format("01J%023d", i);
    }

    private static Query owner(int i) {
        TermQuery term = new TermQuery();
        term.setFieldName("_owner");
        term.setTerm(ColumnValue.fromString("user" + (i % OWNERS)));
        BoolQuery bool = new BoolQuery();
        bool.setMustQueries(List.of(term));
        return bool;
    }

    private static int get(SyncClient client, int i) {
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(TablestoreFixture.TABLE,
                TablestoreFixture.key("*", id((i * 7919) % ROWS)));
        criteria.setMaxVersions(1);
        return client.getRow(new GetRowRequest(criteria)).getRow() == null ? 0 : 1;
    }

    private static int search(SyncClient client, Query query) {
        SearchQuery searchQuery = new SearchQuery();
        searchQuery.setQuery(query);
        searchQuery.setLimit(20);
        searchQuery.setSort(new Sort(List.of(new FieldSort("_createdAt", SortOrder.DESC), new FieldSort("id"))));
        SearchRequest request = new SearchRequest(TablestoreFixture.TABLE, "guestbook_index", searchQuery);
        SearchRequest.ColumnsToGet columns = new SearchRequest.ColumnsToGet();
        columns.setReturnAll(true);
        request.setColumnsToGet(columns);
        return client.search(request).getRows().size();
    }

    /** Per-call nanos of {@code calls} calls spread over {@code callers} threads. */
    private static long[] run(int callers, int calls, java.util.function.IntUnaryOperator call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<long[]>> parts = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int offset = c;
                parts.add(pool.submit(() -> {
                    long[] nanos = new long[calls / callers];
                    for (int i = 0; i < nanos.length; i++) {
                        long start = System.nanoTime();
                        call.applyAsInt(offset + i * callers);
                        nanos[i] = System.nanoTime() - start;
                    }
                    return nanos;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<long[]> part : parts) {
                for (long n : part.get(10, TimeUnit.MINUTES)) {
                    all.add(n);
                }
            }
            return all.stream().mapToLong(Long::longValue).toArray();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void report(int callers, String op, long[] nanos) {
        Arrays.sort(nanos);
        System.out.printf("callers=%d %-7s calls=%d p50=%.2f ms p99=%.2f ms%n", callers, op, nanos.length,
                nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.99)] / 1e6);
    }
}
