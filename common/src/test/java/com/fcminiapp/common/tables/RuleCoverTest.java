package com.fcminiapp.common.tables;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.common.tables.AccessPolicy.Actor;
import com.fcminiapp.common.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static com.fcminiapp.common.tables.TestJson.json;
import static com.fcminiapp.common.tables.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Queries that try to escape a read rule (design §3): covered, filtered by the rule's conditions, or refused. */
class RuleCoverTest {

    private static final AccessPolicy POLICY = new AccessPolicy();
    private static final Actor ALICE = Actor.user("alice");

    /** A rules table with the read rule {@code read} (as written) and the indexes {@code indexes}. */
    private static TableDeclaration rulesTable(String read, String indexes) {
        ObjectNode t = obj("{'mode': 'rules', 'rules': {}, 'indexes': {" + indexes + "}}");
        ((ObjectNode) t.get("rules")).put("read", read);
        ObjectNode declaration = obj("{}");
        declaration.set("t", t);
        return TablesDeclaration.parse(new String(Json.write(declaration), StandardCharsets.UTF_8)).table("t");
    }

    private static Filter readFilter(TableDeclaration t, Actor a, String where) {
        return POLICY.readFilter(t, a, QuerySpec.parse(t, json(where), null).where());
    }

    private static Filter owner(String uid) {
        return Filter.compare("_owner", Cmp.EQ, TextNode.valueOf(uid));
    }

    private static Filter member(String uid) {
        return Filter.compare("members", Cmp.EQ, TextNode.valueOf(uid));
    }

    /** The rows alice gets from a query on lists: the where and the policy's filter, as the kit ANDs them. */
    private static boolean returned(String where, ObjectNode row) {
        TableDeclaration lists = TablesDeclarationTest.example().table("lists");
        Filter w = QuerySpec.parse(lists, json(where), null).where();
        return FilterMatch.matches(Filter.and(List.of(w, POLICY.readFilter(lists, ALICE, w))), row);
    }

    @Test
    void aQueryWithoutWhereGetsTheOwnerOrMemberCondition() {
        TableDeclaration lists = TablesDeclarationTest.example().table("lists");

        assertThat(readFilter(lists, ALICE, "{}")).isEqualTo(Filter.or(List.of(owner("alice"), member("alice"))));
    }

    @Test
    void namingAnotherOwnerStillReturnsOnlyRowsTheCallerMayRead() {
        TableDeclaration lists = TablesDeclarationTest.example().table("lists");
        ObjectNode bobsPrivate = obj("{'id': 'l1', '_owner': 'bob', 'members': ['carol']}");
        ObjectNode bobsShared = obj("{'id': 'l2', '_owner': 'bob', 'members': ['alice']}");
        ObjectNode alices = obj("{'id': 'l3', '_owner': 'alice', 'members': []}");

        assertThat(readFilter(lists, ALICE, "{'_owner': 'bob'}"))
                .isEqualTo(Filter.or(List.of(owner("alice"), member("alice"))));
        assertThat(returned("{'_owner': 'bob'}", bobsPrivate)).isFalse();
        assertThat(returned("{'_owner': 'bob'}", bobsShared)).isTrue();
        assertThat(returned("{'_owner': 'bob'}", alices)).isFalse();
        assertThat(returned("{}", alices)).isTrue();
        assertThat(returned("{'members': 'carol'}", bobsPrivate)).isFalse();
        assertThat(returned("{'_owner': {'ne': 'alice'}}", bobsPrivate)).isFalse();
    }

    @Test
    void aDisjunctTheWhereImpliesNeedsNoFilter() {
        TableDeclaration t = rulesTable("doc.public == true || doc._owner == auth.uid",
                "'public': 'boolean', '_owner': 'string'");

        assertThat(readFilter(t, ALICE, "{'public': true}").isAll()).isTrue();
        assertThat(readFilter(t, ALICE, "{'public': {'in': [true]}}").isAll()).isTrue();
        // without where the first disjunct is not implied, so only the second one is usable
        assertThat(readFilter(t, ALICE, "{}")).isEqualTo(owner("alice"));
        assertThat(readFilter(t, ALICE, "{'public': false}")).isEqualTo(owner("alice"));
        assertThat(readFilter(t, ALICE, "{'public': {'in': [true, false]}}")).isEqualTo(owner("alice"));
    }

    @ParameterizedTest(name = "{0} on {1}: {2}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "doc.score > 10 => {'score': {'gt': 5}} => denied",
            "doc.score > 10 => {'score': {'gte': 10}} => denied",
            "doc.score > 10 => {'score': {'gte': 11}} => all",
            "doc.score > 10 => {'score': {'gt': 10}} => all",
            "doc.score > 10 => {'score': 11} => all",
            "doc.score > 10 => {'score': 10} => denied",
            "doc.score > 10 => {'score': {'in': [11, 12]}} => all",
            "doc.score > 10 => {'score': {'in': [10, 11]}} => denied",
            "doc.score > 10 => {'score': {'in': [10, 11], 'gt': 10}} => all",
            "doc.score > 10 => {'score': {'in': [10, 11], 'ne': 10}} => all",
            "doc.score > 10 => {} => denied",
            "doc.score > 10 => {'score': {'exists': true}} => denied",
            "doc.score > 10 => {'score': {'lt': 100}} => denied",
            "doc.score > 10 => {'price': {'gt': 20}} => denied",
            "doc.score >= 10 => {'score': {'gt': 9}} => all",
            "doc.score >= 10 => {'score': {'gte': 10, 'lte': 20}} => all",
            "doc.score < 10 => {'score': {'lt': 10}} => all",
            "doc.score < 10 => {'score': {'lte': 10}} => denied",
            "doc.score <= 10 => {'score': {'lt': 11}} => all",
            "10 < doc.score => {'score': {'gte': 11}} => all",
            "10 < doc.score => {'score': {'lte': 11}} => denied",
            "doc.score == 10 => {'score': {'gte': 10, 'lte': 10}} => all",
            "doc.score == 10 => {'score': {'gte': 10, 'lt': 11}} => all",
            "doc.score == 10 => {'score': {'gte': 10}} => denied",
            "doc.score != 10 => {'score': {'ne': 10}} => all",
            "doc.score != 10 => {'score': {'gt': 10}} => all",
            "doc.score != 10 => {'score': {'gte': 10}} => denied",
            "doc.score != null => {'score': {'exists': true}} => all",
            "doc.score != null => {'score': {'gt': 0}} => all",
            "!(doc.score == null) => {'score': {'lt': 0}} => all",
            "doc.score == null => {'score': null} => all",
            "doc.score == null => {'score': {'exists': false}} => all",
            "doc.score != null => {'score': {'exists': false}} => denied",
            "doc.price > 1.5 => {'price': {'gt': 1.5}} => all",
            "doc.price > 1.5 => {'price': {'gte': 1.5}} => denied",
            "doc.price > 1.5 => {'price': {'gte': 1.6}} => all",
            "doc.price > 1 => {'price': {'gt': 1.0}} => all",
            "doc.title >= 'm' => {'title': {'gte': 'n'}} => all",
            "doc.title >= 'm' => {'title': {'prefix': 'n'}} => denied",
            "doc.title > 5 => {'title': {'gte': 'n'}} => denied",
            "doc.title in ['a', 'b'] => {'title': 'a'} => all",
            "doc.title in ['a', 'b'] => {'title': {'in': ['a', 'b']}} => all",
            "doc.title in ['a', 'b'] => {'title': {'in': ['a', 'c']}} => denied",
            "doc.done != true => {'done': false} => all",
            "!doc.done => {'done': false} => all",
            "!doc.done => {'done': {'exists': false}} => all",
            "doc.done => {'done': true} => all",
            "doc.done => {'done': {'ne': false}} => denied",
            "'x' in doc.tags => {'tags': 'x'} => all",
            "'x' in doc.tags => {'tags': {'in': ['x']}} => all",
            "'x' in doc.tags => {'tags': {'in': ['x', 'y']}} => denied",
            "'x' in doc.tags => {'tags': 'y'} => denied",
            "doc.tags != null => {'tags': 'y'} => all",
            "!('x' in doc.tags) => {'tags': {'exists': false}} => all",
            "doc.score == doc.price => {'score': 1, 'price': 1} => denied",
            "doc.score > 10 && doc.price > 10 => {'score': {'gt': 10}, 'price': {'gt': 10}} => all",
            "doc.score > 10 && doc.price > 10 => {'score': {'gt': 10}} => denied",
            "!(doc.score > 10 || doc.price > 10) => {'score': 1, 'price': 2} => all",
            "!(doc.score > 10 || doc.price > 10) => {'score': 1} => denied",
    })
    void anAtomIsCoveredOnlyWhenTheWhereImpliesIt(String read, String where, String outcome) {
        TableDeclaration t = rulesTable(read, "'score': 'integer', 'price': 'number', 'title': 'string',"
                + " 'done': 'boolean', 'tags': 'string[]'");

        if (outcome.equals("all")) {
            assertThat(readFilter(t, ALICE, where).isAll()).isTrue();
        } else {
            assertThatThrownBy(() -> readFilter(t, ALICE, where)).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED))
                    .hasMessage("Table t: the query is not covered by the read rule (" + read + "); add where"
                            + " conditions that imply the rule, or query rows it lets you read.");
        }
    }

    @Test
    void staticAtomsAreDecidedForTheCaller() {
        TableDeclaration t = rulesTable("auth.uid == 'admin' || doc._owner == auth.uid", "'_owner': 'string'");

        assertThat(readFilter(t, Actor.user("admin"), "{}").isAll()).isTrue();
        assertThat(readFilter(t, ALICE, "{}")).isEqualTo(owner("alice"));
        TableDeclaration never = rulesTable("false && doc._owner == auth.uid", "'_owner': 'string'");
        assertThatThrownBy(() -> readFilter(never, ALICE, "{}")).isInstanceOf(ApiException.class);
    }

    @Test
    void callerConditionsOnFieldsOfTheWrongTypeMatchNothing() {
        // the evaluator says false for a string "in" and for a string equal to an array, so no filter may say true
        TableDeclaration t = rulesTable("auth.uid in doc.owner || doc.members == auth.uid || doc.n == auth.uid",
                "'owner': 'string', 'members': 'string[]', 'n': 'integer'");

        assertThatThrownBy(() -> readFilter(t, ALICE, "{}")).isInstanceOf(ApiException.class);
    }

    @Test
    void callerConditionsMayBeWrittenEitherWayRound() {
        TableDeclaration t = rulesTable("auth.uid == doc._owner || auth.uid in doc.members",
                "'_owner': 'string', 'members': 'string[]'");

        assertThat(readFilter(t, ALICE, "{}")).isEqualTo(Filter.or(List.of(owner("alice"), member("alice"))));
    }

    @Test
    void conditionsOfOneDisjunctAreAndedAndTheImpliedAtomsDropped() {
        TableDeclaration t = rulesTable("doc._owner == auth.uid && doc.done == false && auth.uid in doc.members",
                "'_owner': 'string', 'members': 'string[]', 'done': 'boolean'");

        assertThat(readFilter(t, ALICE, "{'done': false}"))
                .isEqualTo(Filter.and(List.of(owner("alice"), member("alice"))));
        assertThatThrownBy(() -> readFilter(t, ALICE, "{}")).isInstanceOf(ApiException.class);
    }

    @Test
    void aNegatedCallerAtomIsNoConditionButMayBeImplied() {
        TableDeclaration t = rulesTable("!(doc._owner != auth.uid)", "'_owner': 'string'");

        assertThat(readFilter(t, ALICE, "{'_owner': 'alice'}").isAll()).isTrue();
        assertThatThrownBy(() -> readFilter(t, ALICE, "{}")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> readFilter(t, ALICE, "{'_owner': 'bob'}")).isInstanceOf(ApiException.class);
    }

    @Test
    void whereConditionsUnderOrAndNotTellNothing() {
        TableDeclaration t = rulesTable("doc.score > 10", "'score': 'integer'");
        Filter or = Filter.or(List.of(Filter.compare("score", Cmp.GT, json("20")),
                Filter.compare("score", Cmp.GT, json("30"))));
        Filter not = Filter.not(Filter.compare("score", Cmp.LTE, json("10")));

        assertThatThrownBy(() -> POLICY.readFilter(t, ALICE, or)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> POLICY.readFilter(t, ALICE, not)).isInstanceOf(ApiException.class);
        assertThat(POLICY.readFilter(t, ALICE, Filter.and(List.of(or, Filter.compare("score", Cmp.GT, json("10")))))
                .isAll()).isTrue();
    }

    @Test
    void theServerReadsEveryRow() {
        TableDeclaration t = rulesTable("doc.score > 10", "'score': 'integer'");

        assertThat(POLICY.readFilter(t, Actor.server(null), Filter.all()).isAll()).isTrue();
    }
}
