package com.fcminiapp.common.tables;

import com.fasterxml.jackson.databind.node.TextNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static com.fcminiapp.common.tables.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuerySpecTest {

    private static final TableDeclaration TABLE = TablesDeclaration.parse(("{'t': {'mode': 'creator-write',"
            + " 'indexes': {'title': 'string', 'score': 'integer', 'price': 'number', 'done': 'boolean',"
            + " 'tags': 'string[]', '_owner': 'string', '_createdAt': 'integer'}},"
            + " 'p': {'indexes': {'done': 'boolean'}}}").replace('\'', '"')).table("t");

    private static QuerySpec where(String where) {
        return QuerySpec.parse(TABLE, json(where), null);
    }

    private static QuerySpec orderBy(String orderBy) {
        return QuerySpec.parse(TABLE, null, json(orderBy));
    }

    private static void invalid(Runnable parse, String... messageParts) {
        assertThatThrownBy(parse::run).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .satisfies(e -> assertThat(e.getMessage()).contains(messageParts));
    }

    @Test
    void noWhereAndNoOrderByIsEveryRowInIdOrder() {
        QuerySpec spec = QuerySpec.parse(TABLE, null, null);

        assertThat(spec.where().isAll()).isTrue();
        assertThat(spec.orderBy()).isEmpty();
        assertThat(QuerySpec.parse(TABLE, json("null"), json("null")).where().isAll()).isTrue();
        assertThat(where("{}").where().isAll()).isTrue();
    }

    @Test
    void aValueIsEquality() {
        assertThat(where("{'title': 'x'}").where()).isEqualTo(Filter.compare("title", Cmp.EQ, TextNode.valueOf("x")));
    }

    @Test
    void conditionsOfEveryFieldAndOperatorAreAnded() {
        QuerySpec spec = where("{'score': {'gte': 10, 'lt': 100}, 'done': false, 'tags': {'in': ['a', 'b']},"
                + " 'title': {'prefix': 'ab', 'ne': 'abc'}, 'price': {'gt': 1.5, 'lte': 2}, '_owner': {'eq': 'u1'},"
                + " '_createdAt': {'exists': true}, 'id': 'r1'}");

        assertThat(spec.where()).isEqualTo(Filter.and(List.of(
                Filter.compare("score", Cmp.GTE, json("10")), Filter.compare("score", Cmp.LT, json("100")),
                Filter.compare("done", Cmp.EQ, json("false")),
                Filter.in("tags", List.of(json("'a'"), json("'b'"))),
                Filter.prefix("title", "ab"), Filter.compare("title", Cmp.NE, json("'abc'")),
                Filter.compare("price", Cmp.GT, json("1.5")), Filter.compare("price", Cmp.LTE, json("2")),
                Filter.compare("_owner", Cmp.EQ, json("'u1'")),
                Filter.exists("_createdAt", true),
                Filter.compare("id", Cmp.EQ, json("'r1'")))));
    }

    @Test
    void nullMeansNoSuchField() {
        assertThat(where("{'title': null}").where()).isEqualTo(Filter.exists("title", false));
        assertThat(where("{'title': {'eq': null}}").where()).isEqualTo(Filter.exists("title", false));
        assertThat(where("{'title': {'ne': null}}").where()).isEqualTo(Filter.exists("title", true));
    }

    @Test
    void onAStringArrayEqualityTakesAnElement() {
        assertThat(where("{'tags': 'a'}").where()).isEqualTo(Filter.compare("tags", Cmp.EQ, TextNode.valueOf("a")));
        assertThat(where("{'tags': {'prefix': 'a'}}").where()).isEqualTo(Filter.prefix("tags", "a"));
        invalid(() -> where("{'tags': ['a']}"), "where.tags must be a string (an element of the string[] field)");
    }

    @Test
    void aFieldNotIndexedIsNamedWithItsTable() {
        invalid(() -> where("{'body': 'x'}"), "where.body: the field body is not indexed in table t",
                "id, title, score, price, done, tags, _owner, _createdAt");
        invalid(() -> where("{'_updatedAt': {'gt': 1}}"), "where._updatedAt: the field _updatedAt is not indexed");
        invalid(() -> orderBy("[['body', 'asc']]"), "orderBy[0]: the field body is not indexed in table t");
    }

    @Test
    void thePartitionKeyIsNoField() {
        TableDeclaration p = TablesDeclaration.parse("{\"p\": {}}").table("p");
        invalid(() -> QuerySpec.parse(p, json("{'uid': 'x'}"), null),
                "where.uid: the field uid is not indexed in table p", "(id)");
        invalid(() -> QuerySpec.parse(p, null, json("[['uid', 'asc']]")), "orderBy[0]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "[] => where must be an object",
            "'x' => where must be an object",
            "{'score': 'x'} => where.score must be an integer, the indexed type of score",
            "{'score': 1.5} => where.score must be an integer",
            "{'score': {'gt': '1'}} => where.score.gt must be an integer",
            "{'price': true} => where.price must be a number",
            "{'done': 1} => where.done must be a boolean",
            "{'title': 1} => where.title must be a string",
            "{'score': {}} => where.score: the condition object is empty",
            "{'score': {'gtt': 1}} => where.score.gtt is not an operator; use eq, ne, lt, lte, gt, gte, in, prefix",
            "{'score': {'in': []}} => where.score.in must be an array of 1 to 100 values",
            "{'score': {'in': 1}} => where.score.in must be an array of 1 to 100 values",
            "{'score': {'in': [1, 'a']}} => where.score.in[1] must be an integer",
            "{'score': {'in': [null]}} => where.score.in[0] must be an integer",
            "{'score': {'prefix': 'a'}} => where.score.prefix: the field score is an integer; prefix is for string",
            "{'title': {'prefix': ''}} => where.title.prefix must be a non-empty string",
            "{'title': {'prefix': 1}} => where.title.prefix must be a non-empty string",
            "{'done': {'gt': false}} => where.done.gt: the field done is a boolean; lt, lte, gt, gte compare",
            "{'tags': {'lt': 'a'}} => where.tags.lt: the field tags is a string[]",
            "{'title': {'exists': 1}} => where.title.exists must be true or false",
            "{'title': {'lt': null}} => where.title.lt must be a string",
    })
    void badConditionsNameTheirPlace(String where, String message) {
        invalid(() -> where(where), message);
    }

    @Test
    void inTakesUpTo100Values() {
        StringBuilder values = new StringBuilder("1");
        for (int i = 2; i <= 100; i++) {
            values.append(", ").append(i);
        }
        assertThat(where("{'score': {'in': [" + values + "]}}").where()).isNotNull();
        invalid(() -> where("{'score': {'in': [" + values + ", 101]}}"), "where.score.in must be an array of 1 to 100");
    }

    @Test
    void orderByIsPairsOfFieldAndDirection() {
        assertThat(orderBy("[['_createdAt', 'desc'], ['title', 'asc']]").orderBy())
                .containsExactly(Sort.desc("_createdAt"), Sort.asc("title"));
        assertThat(orderBy("[]").orderBy()).isEmpty();
        assertThat(orderBy("[['score', 'desc']]").orderBy().get(0).descending()).isTrue();
        assertThat(orderBy("[['score', 'desc']]").orderBy().get(0).field()).isEqualTo("score");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "{'score': 'desc'} => orderBy must be an array",
            "['score'] => orderBy[0] must be a pair",
            "[['score']] => orderBy[0] must be a pair",
            "[['score', 'desc', 'x']] => orderBy[0] must be a pair",
            "[['score', 1]] => orderBy[0] must be a pair",
            "[['score', 'asc'], ['title', 'down']] => orderBy[1]: the direction must be \"asc\" or \"desc\"",
            "[['score', 'ASC']] => orderBy[0]: the direction must be",
            "[['tags', 'asc']] => orderBy[0]: the field tags of table t is a string[] and cannot be sorted on",
            "[['score', 'asc'], ['score', 'desc']] => orderBy[1] names the field score a second time",
    })
    void badOrderByNamesItsPlace(String orderBy, String message) {
        invalid(() -> orderBy(orderBy), message);
    }

    @Test
    void orderByNamesUpTo8Fields() {
        String eight = "[['id','asc'],['title','asc'],['score','asc'],['price','asc'],['done','asc'],"
                + "['_owner','asc'],['_createdAt','asc']";
        assertThat(orderBy(eight + "]").orderBy()).hasSize(7);
        TableDeclaration wide = TablesDeclaration.parse(("{'w': {'indexes': {'a': 'integer', 'b': 'integer',"
                + " 'c': 'integer', 'd': 'integer', 'e': 'integer', 'f': 'integer', 'g': 'integer', 'h': 'integer'}}}")
                .replace('\'', '"')).table("w");
        String fields = "[['id','asc'],['a','asc'],['b','asc'],['c','asc'],['d','asc'],['e','asc'],['f','asc']";
        assertThat(QuerySpec.parse(wide, null, json(fields + ",['g','asc']]")).orderBy()).hasSize(8);
        invalid(() -> QuerySpec.parse(wide, null, json(fields + ",['g','asc'],['h','asc']]")),
                "orderBy names more than 8 fields");
    }
}
