package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.DeleteRowRequest;
import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.RowDeleteChange;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.search.SearchRequest;
import com.alicloud.openservices.tablestore.model.search.SearchQuery;
import com.alicloud.openservices.tablestore.model.search.query.QueryBuilders;
import com.fcminiapp.localcloud.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static com.fcminiapp.localcloud.standin.tablestore.SearchFixture.ids;
import static com.fcminiapp.localcloud.standin.tablestore.SearchFixture.put;
import static com.fcminiapp.localcloud.standin.tablestore.SearchFixture.search;
import static org.assertj.core.api.Assertions.assertThat;

/** The index trails the table by the search lag, measured on the stand-in's clock (moved by hand here). */
class SearchLagTest {

    private final MutableClock clock = new MutableClock(Instant.now());
    private final TablestoreFixture fixture = new TablestoreFixture(null, clock);
    private SyncClient client;

    @BeforeEach
    void table() {
        client = fixture.client();
        fixture.createTodoTable(client);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private java.util.List<String> done() {
        return ids(search(client, QueryBuilders.term("done", true).build()));
    }

    private boolean getFinds(String id) {
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(SearchFixture.TABLE,
                TablestoreFixture.key("alice", id));
        criteria.setMaxVersions(1);
        return client.getRow(new GetRowRequest(criteria)).getRow() != null;
    }

    @Test
    void theDefaultLagIsOneSecond() {
        assertThat(fixture.standIn.searchLag()).isEqualTo(Duration.ofMillis(1000));
        assertThat(TablestoreStandIn.DEFAULT_SEARCH_LAG).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aWriteAppearsInSearchOnlyOnceTheLagHasPassedWhileGetSeesItAtOnce() {
        SearchFixture.createIndex(client);
        clock.advance(Duration.ofSeconds(5));
        put(client, "alice", "1", Map.of("done", true));

        assertThat(getFinds("1")).isTrue();
        assertThat(done()).isEmpty();
        clock.advance(Duration.ofMillis(999));
        assertThat(done()).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(done()).containsExactly("1");
    }

    @Test
    void anUpdateIsMatchedOnItsOldValuesUntilTheLagHasPassed() {
        SearchFixture.createIndex(client);
        clock.advance(Duration.ofSeconds(5));
        put(client, "alice", "1", Map.of("done", true));
        clock.advance(Duration.ofSeconds(2));
        put(client, "alice", "1", Map.of("done", false));

        assertThat(done()).containsExactly("1");
        clock.advance(Duration.ofMillis(1000));
        assertThat(done()).isEmpty();
        assertThat(ids(search(client, QueryBuilders.term("done", false).build()))).containsExactly("1");
    }

    @Test
    void aDeletedRowIsStillFoundUntilTheLagHasPassed() {
        SearchFixture.createIndex(client);
        clock.advance(Duration.ofSeconds(5));
        put(client, "alice", "1", Map.of("done", true));
        clock.advance(Duration.ofSeconds(2));
        client.deleteRow(new DeleteRowRequest(new RowDeleteChange(SearchFixture.TABLE,
                TablestoreFixture.key("alice", "1"))));

        assertThat(getFinds("1")).isFalse();
        SearchQuery query = new SearchQuery();
        query.setQuery(QueryBuilders.term("done", true).build());
        SearchRequest request = new SearchRequest(SearchFixture.TABLE, SearchFixture.INDEX, query);
        SearchRequest.ColumnsToGet all = new SearchRequest.ColumnsToGet();
        all.setReturnAll(true);
        request.setColumnsToGet(all);
        // still indexed; the columns are read from the table, where the row is gone: its primary key only
        assertThat(client.search(request).getRows()).singleElement()
                .satisfies(row -> assertThat(row.getColumns()).isEmpty());
        clock.advance(Duration.ofMillis(1000));
        assertThat(done()).isEmpty();
    }

    @Test
    void aNewIndexShowsTheRowsAlreadyInItsTableAfterTheLag() {
        put(client, "alice", "1", Map.of("done", true));
        clock.advance(Duration.ofMinutes(1));
        SearchFixture.createIndex(client);

        assertThat(done()).isEmpty();
        clock.advance(Duration.ofMillis(1000));
        assertThat(done()).containsExactly("1");
    }

    @Test
    void aLagSetAtRunTimeAppliesToTheNextSearch() {
        SearchFixture.createIndex(client);
        clock.advance(Duration.ofSeconds(5));
        put(client, "alice", "1", Map.of("done", true));
        assertThat(done()).isEmpty();

        fixture.standIn.searchLag(Duration.ZERO);
        assertThat(done()).containsExactly("1");
        fixture.standIn.searchLag(Duration.ofSeconds(30));
        put(client, "alice", "2", Map.of("done", true));
        clock.advance(Duration.ofSeconds(29));
        assertThat(done()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(done()).containsExactly("1", "2");
    }
}
