package com.fcminiapp.common.tables;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.common.tables.AccessPolicy.Actor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static com.fcminiapp.common.tables.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessPolicyTest {

    private static final TablesDeclaration TABLES = TablesDeclarationTest.example();
    private static final AccessPolicy POLICY = new AccessPolicy();

    private static Actor actor(String who) {
        return who.equals("server") ? Actor.server("owner") : Actor.user(who);
    }

    /** The row every op of the matrix meets: created by "owner", shared with "member". */
    private static ObjectNode stored(TableDeclaration t) {
        ObjectNode row = obj("{'id': 'r1', '_owner': 'owner', 'members': ['member'], 'title': 'x'}");
        row.put("uid", t.shared() ? "*" : "owner");
        return row;
    }

    /**
     * What a row op of the kit gets from the policy on the matrix's row, following design §3: allow, deny
     * (PERMISSION_DENIED), hidden (a query whose filter leaves the row out) or absent (a private row outside the
     * caller's partition, which the kit never reaches).
     */
    private static String decide(TableDeclaration t, Actor a, String op) {
        ObjectNode row = stored(t);
        boolean ownPartition = a.server() || t.shared() || row.get("uid").textValue().equals(a.uid());
        ObjectNode created = obj("{'id': 'r2', 'title': 'y'}").put("_owner", a.uid());
        try {
            switch (op) {
                case "get":
                    POLICY.checkOp(t, a, RowOp.GET);
                    return rowOp(t, a, RuleOp.READ, row, ownPartition);
                case "list":
                    POLICY.checkOp(t, a, RowOp.LIST);
                    return "allow";
                case "query":
                case "count":
                    POLICY.checkOp(t, a, op.equals("query") ? RowOp.QUERY : RowOp.COUNT);
                    return FilterMatch.matches(POLICY.readFilter(t, a, Filter.all()), row) ? "allow" : "hidden";
                case "create":
                    POLICY.checkOp(t, a, RowOp.PUT);
                    return rowOp(t, a, RuleOp.CREATE, created, true);
                case "replace":
                    POLICY.checkOp(t, a, RowOp.PUT);
                    return rowOp(t, a, RuleOp.UPDATE, row, ownPartition);
                case "add":
                    POLICY.checkOp(t, a, RowOp.ADD);
                    return rowOp(t, a, RuleOp.CREATE, created, true);
                case "update":
                    POLICY.checkOp(t, a, RowOp.UPDATE);
                    return rowOp(t, a, RuleOp.UPDATE, row, ownPartition);
                default:
                    POLICY.checkOp(t, a, RowOp.REMOVE);
                    return rowOp(t, a, RuleOp.DELETE, row, ownPartition);
            }
        } catch (ApiException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
            assertThat(e.getMessage()).contains("Table " + t.name());
            return "deny";
        }
    }

    private static String rowOp(TableDeclaration t, Actor a, RuleOp op, ObjectNode row, boolean reachable) {
        if (!reachable) {
            return "absent";
        }
        POLICY.checkRow(t, a, op, row);
        return "allow";
    }

    @ParameterizedTest(name = "{0} {1}: owner {2}, other {3}, member {4}, server {5}")
    @CsvSource({
            "todo_list, get,     allow, absent, absent, allow",
            "todo_list, list,    allow, allow,  allow,  allow",
            "todo_list, query,   allow, hidden, hidden, allow",
            "todo_list, count,   allow, hidden, hidden, allow",
            "todo_list, create,  allow, allow,  allow,  allow",
            "todo_list, replace, allow, absent, absent, allow",
            "todo_list, add,     allow, allow,  allow,  allow",
            "todo_list, update,  allow, absent, absent, allow",
            "todo_list, remove,  allow, absent, absent, allow",

            "guestbook, get,     allow, allow, allow, allow",
            "guestbook, list,    allow, allow, allow, allow",
            "guestbook, query,   allow, allow, allow, allow",
            "guestbook, count,   allow, allow, allow, allow",
            "guestbook, create,  allow, allow, allow, allow",
            "guestbook, replace, allow, deny,  deny,  allow",
            "guestbook, add,     allow, allow, allow, allow",
            "guestbook, update,  allow, deny,  deny,  allow",
            "guestbook, remove,  allow, deny,  deny,  allow",

            "notices, get,     allow, allow, allow, allow",
            "notices, list,    allow, allow, allow, allow",
            "notices, query,   allow, allow, allow, allow",
            "notices, count,   allow, allow, allow, allow",
            "notices, create,  deny,  deny,  deny,  allow",
            "notices, replace, deny,  deny,  deny,  allow",
            "notices, add,     deny,  deny,  deny,  allow",
            "notices, update,  deny,  deny,  deny,  allow",
            "notices, remove,  deny,  deny,  deny,  allow",

            "secrets, get,     deny, deny, deny, allow",
            "secrets, list,    deny, deny, deny, allow",
            "secrets, query,   deny, deny, deny, allow",
            "secrets, count,   deny, deny, deny, allow",
            "secrets, create,  deny, deny, deny, allow",
            "secrets, replace, deny, deny, deny, allow",
            "secrets, add,     deny, deny, deny, allow",
            "secrets, update,  deny, deny, deny, allow",
            "secrets, remove,  deny, deny, deny, allow",

            "lists, get,     allow, deny,   allow, allow",
            "lists, list,    deny,  deny,   deny,  allow",
            "lists, query,   allow, hidden, allow, allow",
            "lists, count,   allow, hidden, allow, allow",
            "lists, create,  allow, allow,  allow, allow",
            "lists, replace, allow, deny,   allow, allow",
            "lists, add,     allow, allow,  allow, allow",
            "lists, update,  allow, deny,   allow, allow",
            "lists, remove,  allow, deny,   deny,  allow",
    })
    void everyModeOpAndActorGetsTheDesignsDecision(String table, String op, String owner, String other,
                                                   String member, String server) {
        TableDeclaration t = TABLES.table(table);

        assertThat(decide(t, actor("owner"), op)).as("owner").isEqualTo(owner);
        assertThat(decide(t, actor("other"), op)).as("other").isEqualTo(other);
        assertThat(decide(t, actor("member"), op)).as("member").isEqualTo(member);
        assertThat(decide(t, actor("server"), op)).as("server").isEqualTo(server);
    }

    @Test
    void aUserHasAUidAndTheServerMayNameNone() {
        assertThatThrownBy(() -> Actor.user(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Actor.user("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Actor.server(null).server()).isTrue();
        assertThat(Actor.server(null).uid()).isNull();
        assertThat(Actor.user("u").server()).isFalse();
        assertThat(Actor.user("u").uid()).isEqualTo("u");
    }

    private static void denied(Runnable op, String... messageParts) {
        assertThatThrownBy(op::run).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED))
                .satisfies(e -> assertThat(e.getMessage()).contains(messageParts));
    }

    @Test
    void deniedMessagesNameTheTableTheOpAndTheModeOrRule() {
        Actor bob = Actor.user("bob");
        denied(() -> POLICY.checkOp(TABLES.table("notices"), bob, RowOp.ADD),
                "Table notices is server-write: only app functions may add its rows.");
        denied(() -> POLICY.checkOp(TABLES.table("secrets"), bob, RowOp.GET),
                "Table secrets is server-only: only app functions may get its rows.");
        denied(() -> POLICY.checkRow(TABLES.table("guestbook"), bob, RuleOp.UPDATE, obj("{'_owner': 'alice'}")),
                "Table guestbook is creator-write: only the row's creator (its _owner) may change it.");
        denied(() -> POLICY.checkRow(TABLES.table("guestbook"), bob, RuleOp.DELETE, obj("{'_owner': 'alice'}")),
                "Table guestbook is creator-write: only the row's creator (its _owner) may remove it.");
        denied(() -> POLICY.checkRow(TABLES.table("lists"), bob, RuleOp.DELETE, obj("{'_owner': 'alice'}")),
                "Table lists: the delete rule (doc._owner == auth.uid) does not allow this delete.");
        denied(() -> POLICY.checkOp(TABLES.table("lists"), bob, RowOp.LIST),
                "Table lists: its read rule (doc._owner == auth.uid || auth.uid in doc.members) does not hold for"
                        + " every row, so list is denied; use query");
    }

    @Test
    void aRowOfACreatorWriteTableWithoutOwnerIsChangedByNoUser() {
        denied(() -> POLICY.checkRow(TABLES.table("guestbook"), Actor.user("bob"), RuleOp.UPDATE, obj("{}")),
                "creator-write");
        POLICY.checkRow(TABLES.table("guestbook"), Actor.server(null), RuleOp.UPDATE, obj("{}"));
    }

    @Test
    void aMissingRuleDeniesItsOps() {
        TableDeclaration t = TablesDeclaration.parse("{\"t\": {\"mode\": \"rules\", \"rules\": {\"create\": \"true\"}}}")
                .table("t");
        Actor bob = Actor.user("bob");
        for (RowOp op : new RowOp[] {RowOp.GET, RowOp.LIST, RowOp.QUERY, RowOp.COUNT}) {
            denied(() -> POLICY.checkOp(t, bob, op), "Table t declares no read rule, so " + op.wireName()
                    + " is denied.");
        }
        denied(() -> POLICY.checkOp(t, bob, RowOp.UPDATE), "declares no update rule, so update is denied");
        denied(() -> POLICY.checkOp(t, bob, RowOp.REMOVE), "declares no delete rule, so remove is denied");
        denied(() -> POLICY.checkRow(t, bob, RuleOp.UPDATE, obj("{}")), "declares no update rule");
        denied(() -> POLICY.readFilter(t, bob, Filter.all()), "declares no read rule");
        POLICY.checkOp(t, bob, RowOp.PUT);
        POLICY.checkOp(t, bob, RowOp.ADD);

        TableDeclaration none = TablesDeclaration.parse("{\"t\": {\"mode\": \"rules\", \"rules\": {}}}").table("t");
        denied(() -> POLICY.checkOp(none, bob, RowOp.PUT), "declares neither a create nor an update rule");
        denied(() -> POLICY.checkOp(none, bob, RowOp.ADD), "declares no create rule, so add is denied");
        POLICY.checkOp(none, Actor.server("bob"), RowOp.PUT);
    }

    @Test
    void theCreateRuleSeesTheRowAsItWouldBeWritten() {
        TableDeclaration t = TablesDeclaration.parse(("{'t': {'mode': 'rules', 'rules': {'create':"
                + " 'doc._owner == auth.uid && doc.title != null && doc.votes == null'}}}").replace('\'', '"'))
                .table("t");
        Actor bob = Actor.user("bob");

        POLICY.checkRow(t, bob, RuleOp.CREATE, obj("{'title': 'a', '_owner': 'bob'}"));
        denied(() -> POLICY.checkRow(t, bob, RuleOp.CREATE, obj("{'_owner': 'bob'}")), "the create rule");
        denied(() -> POLICY.checkRow(t, bob, RuleOp.CREATE, obj("{'title': 'a', '_owner': 'bob', 'votes': 3}")),
                "the create rule");
        denied(() -> POLICY.checkRow(t, bob, RuleOp.CREATE, obj("{'title': 'a', '_owner': 'eve'}")),
                "the create rule");
    }

    @Test
    void listIsAllowedWhenTheReadRuleHoldsForEveryRowForThisCaller() {
        TableDeclaration open = TablesDeclaration.parse(("{'t': {'mode': 'rules', 'rules': {'read': 'true'}}}")
                .replace('\'', '"')).table("t");
        TableDeclaration admin = TablesDeclaration.parse(("{'t': {'mode': 'rules', 'rules': {'read':"
                + " 'auth.uid == \\\"admin\\\" || doc._owner == auth.uid'}, 'indexes': {'_owner': 'string'}}}")
                .replace('\'', '"')).table("t");

        POLICY.checkOp(open, Actor.user("bob"), RowOp.LIST);
        POLICY.checkOp(admin, Actor.user("admin"), RowOp.LIST);
        denied(() -> POLICY.checkOp(admin, Actor.user("bob"), RowOp.LIST), "use query");
    }

    @Test
    void privateQueriesSeeOnlyTheCallersPartition() {
        Filter f = POLICY.readFilter(TABLES.table("todo_list"), Actor.user("alice"), Filter.all());

        assertThat(f).isEqualTo(Filter.compare("uid", Cmp.EQ, com.fasterxml.jackson.databind.node.TextNode
                .valueOf("alice")));
        assertThat(POLICY.readFilter(TABLES.table("todo_list"), Actor.server("alice"), Filter.all()).isAll())
                .isTrue();
        assertThat(POLICY.readFilter(TABLES.table("guestbook"), Actor.user("alice"), Filter.all()).isAll()).isTrue();
        assertThat(POLICY.readFilter(TABLES.table("notices"), Actor.user("alice"), Filter.all()).isAll()).isTrue();
        denied(() -> POLICY.readFilter(TABLES.table("secrets"), Actor.user("alice"), Filter.all()), "server-only");
    }
}
