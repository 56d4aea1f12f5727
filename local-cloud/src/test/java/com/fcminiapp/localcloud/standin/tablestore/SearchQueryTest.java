package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.TableStoreException;
import com.alicloud.openservices.tablestore.model.search.query.QueryBuilders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static com.fcminiapp.localcloud.standin.tablestore.SearchFixture.ids;
import static com.fcminiapp.localcloud.standin.tablestore.SearchFixture.put;
import static com.fcminiapp.localcloud.standin.tablestore.SearchFixture.search;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each query type the stand-in emulates, through the real SDK's {@code SyncClient.search}, and its refusals. */
class SearchQueryTest {

    private final TablestoreFixture fixture = new TablestoreFixture();
    private SyncClient client;

    @BeforeEach
    void rows() {
        fixture.standIn.searchLag(Duration.ZERO);
        client = fixture.client();
        fixture.createTodoTable(client);
        SearchFixture.createIndex(client);
        put(client, "alice", "a1", Map.of("title", "buy milk", "likes", 3, "score", 1.5, "done", false,
                "tags", "[\"home\",\"food\"]", "note", "n"));
        put(client, "alice", "a2", Map.of("title", "buy bread", "likes", 10, "score", 2.0, "done", true,
                "tags", "[\"food\"]"));
        put(client, "bob", "b1", Map.of("title", "call mum", "likes", 11, "score", -0.5, "done", false,
                "tags", "[]"));
        put(client, "bob", "b2", Map.of("title", "Buy stamps", "likes", "many", "done", "no", "tags", "not json"));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void matchAllFindsEveryRowInPrimaryKeyOrder() {
        assertThat(ids(search(client, QueryBuilders.matchAll().build()))).containsExactly("a1", "a2", "b1", "b2");
    }

    @Test
    void termMatchesKeywordLongDoubleAndBooleanFieldsExactly() {
        assertThat(ids(search(client, QueryBuilders.term("title", "buy milk").build()))).containsExactly("a1");
        assertThat(ids(search(client, QueryBuilders.term("title", "buy").build()))).isEmpty();
        assertThat(ids(search(client, QueryBuilders.term("likes", 10L).build()))).containsExactly("a2");
        assertThat(ids(search(client, QueryBuilders.term("score", -0.5).build()))).containsExactly("b1");
        assertThat(ids(search(client, QueryBuilders.term("done", false).build()))).containsExactly("a1", "b1");
    }

    @Test
    void termOnAPrimaryKeyFieldMatchesItsRows() {
        assertThat(ids(search(client, QueryBuilders.term("uid", "bob").build()))).containsExactly("b1", "b2");
        assertThat(ids(search(client, QueryBuilders.term("id", "a2").build()))).containsExactly("a2");
    }

    @Test
    void aPartitionRequiredThroughMustOrFilterIsReadAloneWithEveryOtherConditionStillTested() {
        assertThat(ids(search(client, QueryBuilders.bool()
                .filter(QueryBuilders.term("uid", "alice"))
                .must(QueryBuilders.term("done", true))
                .build()))).containsExactly("a2");
        assertThat(ids(search(client, QueryBuilders.bool()
                .must(QueryBuilders.bool().must(QueryBuilders.term("uid", "bob")))
                .mustNot(QueryBuilders.exists("likes"))
                .build()))).containsExactly("b2");
        // a partition named in should or must_not limits nothing
        assertThat(ids(search(client, QueryBuilders.bool()
                .should(QueryBuilders.term("uid", "bob"))
                .should(QueryBuilders.term("id", "a1"))
                .build()))).containsExactly("a1", "b1", "b2");
        assertThat(ids(search(client, QueryBuilders.bool()
                .mustNot(QueryBuilders.term("uid", "bob"))
                .build()))).containsExactly("a1", "a2");
        assertThat(ids(search(client, QueryBuilders.term("uid", "nobody").build()))).isEmpty();
    }

    @Test
    void aDoubleFieldTakesAnIntegerTerm() {
        assertThat(ids(search(client, QueryBuilders.term("score", 2L).build()))).containsExactly("a2");
    }

    @Test
    void termsMatchesAnyOfItsTerms() {
        assertThat(ids(search(client, QueryBuilders.terms("likes").terms(3L, 11L, 99L).build())))
                .containsExactly("a1", "b1");
    }

    @Test
    void rangeHonoursEachBoundAndItsInclusion() {
        assertThat(ids(search(client, QueryBuilders.range("likes").greaterThanOrEqual(3L).lessThan(11L).build())))
                .containsExactly("a1", "a2");
        assertThat(ids(search(client, QueryBuilders.range("likes").greaterThan(3L).lessThanOrEqual(11L).build())))
                .containsExactly("a2", "b1");
        assertThat(ids(search(client, QueryBuilders.range("likes").greaterThan(10L).build()))).containsExactly("b1");
        assertThat(ids(search(client, QueryBuilders.range("score").lessThan(1.5).build()))).containsExactly("b1");
        assertThat(ids(search(client, QueryBuilders.range("title").greaterThanOrEqual("buy").lessThan("c").build())))
                .containsExactly("a1", "a2");
    }

    @Test
    void prefixMatchesKeywordsCaseSensitively() {
        assertThat(ids(search(client, QueryBuilders.prefix("title", "buy ").build()))).containsExactly("a1", "a2");
        assertThat(ids(search(client, QueryBuilders.prefix("title", "Buy").build()))).containsExactly("b2");
    }

    @Test
    void existsNeedsAValueThatFitsTheFieldsType() {
        assertThat(ids(search(client, QueryBuilders.exists("note").build()))).containsExactly("a1");
        // b2's likes is a STRING and done a STRING: not indexed as LONG / BOOLEAN
        assertThat(ids(search(client, QueryBuilders.exists("likes").build()))).containsExactly("a1", "a2", "b1");
        assertThat(ids(search(client, QueryBuilders.exists("done").build()))).containsExactly("a1", "a2", "b1");
    }

    @Test
    void anArrayFieldMatchesWhenOneElementDoes() {
        assertThat(ids(search(client, QueryBuilders.term("tags", "food").build()))).containsExactly("a1", "a2");
        assertThat(ids(search(client, QueryBuilders.term("tags", "home").build()))).containsExactly("a1");
        assertThat(ids(search(client, QueryBuilders.terms("tags").terms("home", "x").build()))).containsExactly("a1");
        // an empty array has no value; a column that is no JSON array is not indexed
        assertThat(ids(search(client, QueryBuilders.exists("tags").build()))).containsExactly("a1", "a2");
    }

    @Test
    void boolCombinesMustMustNotAndFilter() {
        assertThat(ids(search(client, QueryBuilders.bool()
                .must(QueryBuilders.prefix("title", "buy"))
                .mustNot(QueryBuilders.term("done", true))
                .filter(QueryBuilders.range("likes").greaterThan(0L))
                .build()))).containsExactly("a1");
    }

    @Test
    void shouldAloneNeedsOneClauseAndMinimumShouldMatchRaisesThat() {
        assertThat(ids(search(client, QueryBuilders.bool()
                .should(QueryBuilders.term("uid", "bob"))
                .should(QueryBuilders.term("likes", 3L))
                .build()))).containsExactly("a1", "b1", "b2");
        assertThat(ids(search(client, QueryBuilders.bool()
                .should(QueryBuilders.term("uid", "alice"))
                .should(QueryBuilders.term("done", true))
                .should(QueryBuilders.term("tags", "food"))
                .minimumShouldMatch(2)
                .build()))).containsExactly("a1", "a2");
    }

    @Test
    void shouldBesideMustIsOptional() {
        assertThat(ids(search(client, QueryBuilders.bool()
                .must(QueryBuilders.term("uid", "alice"))
                .should(QueryBuilders.term("done", true))
                .build()))).containsExactly("a1", "a2");
    }

    @Test
    void nestedBoolsOrTheirConditions() {
        assertThat(ids(search(client, QueryBuilders.bool()
                .must(QueryBuilders.bool()
                        .should(QueryBuilders.term("uid", "bob"))
                        .should(QueryBuilders.term("tags", "home")))
                .mustNot(QueryBuilders.exists("likes").build())
                .build()))).containsExactly("b2");
    }

    @Test
    void aFieldNotInTheSchemaIsRefused() {
        assertInvalid(() -> search(client, QueryBuilders.term("colour", "red").build()),
                "Field [colour] does not exist in the schema of search index [todo_list_index]");
    }

    @Test
    void aFieldThatIsNotIndexedIsRefused() {
        assertInvalid(() -> search(client, QueryBuilders.term("hidden", "x").build()),
                "Field [hidden] is not indexed");
    }

    @Test
    void aTermOfAnotherTypeThanTheFieldIsRefused() {
        assertInvalid(() -> search(client, QueryBuilders.term("likes", "ten").build()),
                "The term of field [likes] must be of type LONG, but is STRING.");
        assertInvalid(() -> search(client, QueryBuilders.range("title").greaterThan(3L).build()),
                "The range's lower bound of field [title] must be of type KEYWORD, but is INTEGER.");
    }

    @Test
    void aPrefixOnANonKeywordFieldIsRefused() {
        assertInvalid(() -> search(client, QueryBuilders.prefix("likes", "1").build()),
                "PrefixQuery needs a KEYWORD field, but field [likes] is LONG.");
    }

    @Test
    void aQueryTypeLocalCloudDoesNotEmulateIsRefusedNotIgnored() {
        assertInvalid(() -> search(client, QueryBuilders.match("title", "milk").build()),
                "local-cloud does not emulate the query type MATCH_QUERY");
        assertInvalid(() -> search(client, QueryBuilders.wildcard("title", "b*").build()),
                "local-cloud does not emulate the query type WILDCARD_QUERY");
    }

    @Test
    void aSearchOnAMissingIndexOrTableIsRefused() {
        assertThatThrownBy(() -> client.search(new com.alicloud.openservices.tablestore.model.search.SearchRequest(
                SearchFixture.TABLE, "nope", new com.alicloud.openservices.tablestore.model.search.SearchQuery())))
                .isInstanceOfSatisfying(TableStoreException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo("OTSObjectNotExist");
                    assertThat(e.getHttpStatus()).isEqualTo(404);
                });
        assertThatThrownBy(() -> client.search(new com.alicloud.openservices.tablestore.model.search.SearchRequest(
                "other", SearchFixture.INDEX, new com.alicloud.openservices.tablestore.model.search.SearchQuery())))
                .isInstanceOfSatisfying(TableStoreException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo("OTSObjectNotExist");
                    assertThat(e.getMessage()).contains("Requested table does not exist.");
                });
    }

    static void assertInvalid(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TableStoreException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo("OTSParameterInvalid");
            assertThat(e.getHttpStatus()).isEqualTo(400);
            assertThat(e.getMessage()).contains(message);
        });
    }
}
