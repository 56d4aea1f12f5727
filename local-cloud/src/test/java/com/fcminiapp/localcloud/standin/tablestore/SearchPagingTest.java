package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.BatchWriteRowRequest;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.search.SearchQuery;
import com.alicloud.openservices.tablestore.model.search.SearchRequest;
import com.alicloud.openservices.tablestore.model.search.SearchResponse;
import com.alicloud.openservices.tablestore.model.search.query.QueryBuilders;
import com.alicloud.openservices.tablestore.model.search.sort.FieldSort;
import com.alicloud.openservices.tablestore.model.search.sort.PrimaryKeySort;
import com.alicloud.openservices.tablestore.model.search.sort.Sort;
import com.alicloud.openservices.tablestore.model.search.sort.SortOrder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static com.fcminiapp.localcloud.standin.tablestore.SearchFixture.ids;
import static com.fcminiapp.localcloud.standin.tablestore.SearchFixture.put;
import static com.fcminiapp.localcloud.standin.tablestore.SearchQueryTest.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

/** Sorts, tie-breaks, token and offset paging, total counts, limits and the columns a search answers. */
class SearchPagingTest {

    private final TablestoreFixture fixture = new TablestoreFixture();
    private SyncClient client;

    @BeforeEach
    void table() {
        fixture.standIn.searchLag(Duration.ZERO);
        client = fixture.client();
        fixture.createTodoTable(client);
        SearchFixture.createIndex(client);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** {@code count} rows u/r000…: likes = i % 7 (ties), title "t<i>", score only on even rows. */
    private void rows(int count) {
        for (int start = 0; start < count; start += 100) {
            BatchWriteRowRequest batch = new BatchWriteRowRequest();
            for (int i = start; i < Math.min(count, start + 100); i++) {
                RowPutChange change = new RowPutChange(SearchFixture.TABLE, TablestoreFixture.key("u", id(i)));
                change.addColumn("likes", SearchFixture.value(i % 7));
                change.addColumn("title", SearchFixture.value("t" + i));
                if (i % 2 == 0) {
                    change.addColumn("score", SearchFixture.value((double) i));
                }
                batch.addRowChange(change);
            }
            assertThat(client.batchWriteRow(batch).isAllSucceed()).isTrue();
        }
    }

    private static String id(int i) {
        return String.format("r%03d", i);
    }

    private static Sort sort(Sort.Sorter... sorters) {
        return new Sort(List.of(sorters));
    }

    private SearchResponse search(SearchQuery query) {
        if (query.getQuery() == null) {
            query.setQuery(QueryBuilders.matchAll().build());
        }
        return client.search(new SearchRequest(SearchFixture.TABLE, SearchFixture.INDEX, query));
    }

    private SearchQuery query(int limit, Sort sort) {
        SearchQuery query = new SearchQuery();
        query.setLimit(limit);
        query.setSort(sort);
        return query;
    }

    @Test
    void fieldSortDescendingBreaksTiesByPrimaryKeyAscending() {
        rows(15);
        List<String> expected = IntStream.range(0, 15).boxed()
                .sorted((a, b) -> a % 7 != b % 7 ? Integer.compare(b % 7, a % 7) : Integer.compare(a, b))
                .map(SearchPagingTest::id).collect(Collectors.toList());
        assertThat(ids(search(query(100, sort(new FieldSort("likes", SortOrder.DESC)))))).isEqualTo(expected);
    }

    @Test
    void fieldSortAscendingThenPrimaryKeyDescending() {
        rows(8);
        assertThat(ids(search(query(100, sort(new FieldSort("likes", SortOrder.ASC),
                new PrimaryKeySort(SortOrder.DESC))))))
                .containsExactly("r007", "r000", "r001", "r002", "r003", "r004", "r005", "r006");
    }

    @Test
    void rowsWithoutTheSortedFieldComeLastInEitherDirection() {
        rows(5);
        assertThat(ids(search(query(100, sort(new FieldSort("score", SortOrder.DESC))))))
                .containsExactly("r004", "r002", "r000", "r001", "r003");
        assertThat(ids(search(query(100, sort(new FieldSort("score", SortOrder.ASC))))))
                .containsExactly("r000", "r002", "r004", "r001", "r003");
        FieldSort missingFirst = new FieldSort("score", SortOrder.ASC);
        missingFirst.setMissing(FieldSort.FIRST_WHEN_MISSING);
        assertThat(ids(search(query(100, sort(missingFirst))))).containsExactly("r001", "r003", "r000", "r002", "r004");
    }

    @Test
    void withoutASortRowsComeInPrimaryKeyOrderAndPrimaryKeySortCanReverseIt() {
        put(client, "b", "2", Map.of());
        put(client, "a", "9", Map.of());
        put(client, "b", "1", Map.of());
        assertThat(ids(search(new SearchQuery()))).containsExactly("9", "1", "2");
        assertThat(ids(search(query(10, sort(new PrimaryKeySort(SortOrder.DESC)))))).containsExactly("2", "1", "9");
    }

    @Test
    void anArrayFieldWithoutSortAndAggCannotBeSorted() {
        assertInvalid(() -> search(query(10, sort(new FieldSort("tags", SortOrder.ASC)))),
                "Field [tags] of search index [todo_list_index] does not enable sort and aggregation");
    }

    @Test
    void sortingAFieldWithoutSortAndAggIsRefused() {
        assertInvalid(() -> search(query(10, sort(new FieldSort("note", SortOrder.ASC)))),
                "Field [note] of search index [todo_list_index] does not enable sort and aggregation");
        assertInvalid(() -> search(query(10, sort(new FieldSort("colour", SortOrder.ASC)))),
                "Field [colour] does not exist in the schema");
    }

    @Test
    void tokenPagingWalks250RowsInPagesOf100WithoutDuplicatesOrGaps() {
        rows(250);
        SearchQuery first = query(100, sort(new FieldSort("likes", SortOrder.DESC)));
        first.setGetTotalCount(true);
        List<Integer> pageSizes = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        SearchResponse page = search(first);
        while (true) {
            assertThat(page.getTotalCount()).isEqualTo(250);
            pageSizes.add(page.getRows().size());
            seen.addAll(ids(page));
            if (page.getNextToken() == null) {
                break;
            }
            SearchQuery next = query(100, null);
            next.setGetTotalCount(true);
            next.setToken(page.getNextToken());
            page = search(next);
        }
        assertThat(pageSizes).containsExactly(100, 100, 50);
        Set<String> distinct = new HashSet<>(seen);
        assertThat(distinct).hasSize(250);
        assertThat(seen).isEqualTo(searchAll(sort(new FieldSort("likes", SortOrder.DESC))).stream()
                .map(SearchFixture::id).collect(Collectors.toList()));
    }

    /** The same order in one go, read with offsets. */
    private List<Row> searchAll(Sort sort) {
        List<Row> rows = new ArrayList<>();
        for (int offset = 0; offset < 300; offset += 100) {
            SearchQuery query = query(100, sort);
            query.setOffset(offset);
            rows.addAll(search(query).getRows());
        }
        return rows;
    }

    @Test
    void smallPagesOfManyRowsComeInTheOrderOfOneLargePage() {
        rows(90);
        Sort byLikes = sort(new FieldSort("likes", SortOrder.DESC), new FieldSort("title", SortOrder.ASC));
        List<String> paged = new ArrayList<>();
        SearchResponse page = search(query(7, byLikes));
        while (true) {
            assertThat(page.getRows().size()).isLessThanOrEqualTo(7);
            paged.addAll(ids(page));
            if (page.getNextToken() == null) {
                break;
            }
            SearchQuery next = query(7, null);
            next.setToken(page.getNextToken());
            page = search(next);
        }
        assertThat(paged).hasSize(90).doesNotHaveDuplicates()
                .isEqualTo(ids(search(query(100, byLikes))));
        SearchQuery third = query(7, byLikes);
        third.setOffset(14);
        assertThat(ids(search(third))).isEqualTo(paged.subList(14, 21));
    }

    @Test
    void aPageThatEndsExactlyAtTheLastRowHasNoToken() {
        rows(200);
        SearchResponse first = search(query(100, null));
        assertThat(first.getNextToken()).isNotNull();
        SearchQuery next = query(100, null);
        next.setToken(first.getNextToken());
        SearchResponse last = search(next);
        assertThat(ids(last)).hasSize(100).startsWith("r100").endsWith("r199");
        assertThat(last.getNextToken()).isNull();
    }

    @Test
    void aTokenReplayedWithAnotherSortIsRefused() {
        rows(20);
        SearchResponse first = search(query(5, sort(new FieldSort("likes", SortOrder.DESC))));
        SearchQuery replay = query(5, null);
        replay.setToken(first.getNextToken());
        // the SDK drops the sort when a token is set; set one after it, as a caller could
        replay.setSort(sort(new FieldSort("likes", SortOrder.ASC)));
        assertInvalid(() -> search(replay), "does not match the sort the token was made with");
        SearchQuery same = query(5, null);
        same.setToken(first.getNextToken());
        same.setSort(sort(new FieldSort("likes", SortOrder.DESC)));
        assertThat(search(same).getRows()).hasSize(5);
    }

    @Test
    void aTokenThatIsNoTokenIsRefused() {
        SearchQuery query = query(5, null);
        query.setToken(new byte[] {1, 2, 3});
        assertInvalid(() -> search(query), "The token is invalid.");
    }

    @Test
    void totalCountIsTheNumberOfMatchesOrMinusOneWhenNotAsked() {
        rows(30);
        SearchQuery counted = query(0, null);
        counted.setQuery(QueryBuilders.term("likes", 3L).build());
        counted.setGetTotalCount(true);
        SearchResponse count = search(counted);
        assertThat(count.getTotalCount()).isEqualTo(4);
        assertThat(count.getRows()).isEmpty();
        assertThat(count.getNextToken()).isNull();
        assertThat(search(query(10, null)).getTotalCount()).isEqualTo(-1);
    }

    @Test
    void offsetSkipsRowsAndTheDefaultLimitIsTen() {
        rows(25);
        SearchQuery query = new SearchQuery();
        query.setOffset(20);
        assertThat(ids(search(query))).containsExactly("r020", "r021", "r022", "r023", "r024");
        assertThat(search(new SearchQuery()).getRows()).hasSize(10);
    }

    @Test
    void aLimitOver100IsRefusedWhenColumnsComeFromTheTable() {
        rows(1);
        SearchRequest request = new SearchRequest(SearchFixture.TABLE, SearchFixture.INDEX, query(101, null));
        request.getSearchQuery().setQuery(QueryBuilders.matchAll().build());
        SearchRequest.ColumnsToGet all = new SearchRequest.ColumnsToGet();
        all.setReturnAll(true);
        request.setColumnsToGet(all);
        assertInvalid(() -> client.search(request), "[search.limit] must be less than 100, current limit is 101");
        request.getSearchQuery().setLimit(100);
        assertThat(client.search(request).getRows()).hasSize(1);
    }

    @Test
    void aLimitUpTo1000IsAcceptedWhenOnlyThePrimaryKeyIsAnswered() {
        rows(1);
        assertThat(search(query(1000, null)).getRows()).hasSize(1);
        assertInvalid(() -> search(query(1001, null)), "[search.limit] must be less than 1000, current limit is 1001");
        assertInvalid(() -> search(query(-1, null)), "[search.limit] must be greater than or equal to 0");
    }

    @Test
    void columnsToGetAnswersAllSpecifiedOrOnlyThePrimaryKey() {
        put(client, "u", "1", Map.of("title", "x", "likes", 2, "other", "y"));
        SearchRequest request = new SearchRequest(SearchFixture.TABLE, SearchFixture.INDEX, query(10, null));
        request.getSearchQuery().setQuery(QueryBuilders.matchAll().build());

        Row none = client.search(request).getRows().get(0);
        assertThat(none.getPrimaryKey()).isEqualTo(TablestoreFixture.key("u", "1"));
        assertThat(none.getColumns()).isEmpty();

        SearchRequest.ColumnsToGet all = new SearchRequest.ColumnsToGet();
        all.setReturnAll(true);
        request.setColumnsToGet(all);
        Row full = client.search(request).getRows().get(0);
        assertThat(full.getColumns()).extracting(c -> c.getName()).containsExactly("likes", "other", "title");

        SearchRequest.ColumnsToGet some = new SearchRequest.ColumnsToGet();
        some.setColumns(List.of("title", "other", "absent"));
        request.setColumnsToGet(some);
        Row specified = client.search(request).getRows().get(0);
        assertThat(specified.getColumns()).extracting(c -> c.getName()).containsExactly("other", "title");
        assertThat(specified.getLatestColumn("title").getValue().asString()).isEqualTo("x");
    }
}
