package com.fcminiapp.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.tables.AccessPolicy.Actor;
import com.fcminiapp.common.tables.TableDeclaration;
import com.fcminiapp.common.tables.TablesDeclaration;
import com.fcminiapp.kit.Expect;
import com.fcminiapp.kit.internal.RowService;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static com.fcminiapp.db.DbFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every access mode × every row op × every kind of caller through the db function's handler, against the
 * stand-ins: each case makes a fresh row {@code t} (created by "owner", with "member" in its {@code members}), runs
 * the op as the caller, and checks the outcome the table below gives; a refused op is PERMISSION_DENIED (or
 * UNAUTHENTICATED without a session) and leaves every stored row of the table as it was.
 */
class DenyMatrixTest {

    static final String DECLARATION = "{"
            + "\"priv\":{\"mode\":\"private\",\"indexes\":{\"n\":\"integer\"}},"
            + "\"cw\":{\"mode\":\"creator-write\",\"indexes\":{\"_owner\":\"string\",\"n\":\"integer\"}},"
            + "\"sw\":{\"mode\":\"server-write\",\"indexes\":{\"n\":\"integer\"}},"
            + "\"so\":{\"mode\":\"server-only\",\"indexes\":{\"n\":\"integer\"}},"
            + "\"rl\":{\"mode\":\"rules\",\"rules\":{"
            + "\"read\":\"doc._owner == auth.uid || auth.uid in doc.members\","
            + "\"update\":\"doc._owner == auth.uid || auth.uid in doc.members\","
            + "\"create\":\"true\",\"delete\":\"doc._owner == auth.uid\"},"
            + "\"indexes\":{\"_owner\":\"string\",\"members\":\"string[]\",\"n\":\"integer\"}}}";

    /**
     * The expected outcomes: table, op, then the owner's, another user's and a member's. SEES: the row is in the
     * answer; HIDDEN: allowed, without the row (get null, not listed, not counted); CHANGED / REMOVED: the row is;
     * UNTOUCHED: allowed, acting on the caller's own rows only; NOT_FOUND; DENIED. No session: always UNAUTH.
     */
    static final String EXPECTED = String.join("\n",
            "priv get    SEES      HIDDEN    HIDDEN",
            "priv list   SEES      HIDDEN    HIDDEN",
            "priv query  SEES      HIDDEN    HIDDEN",
            "priv count  SEES      HIDDEN    HIDDEN",
            "priv put    CHANGED   UNTOUCHED UNTOUCHED",
            "priv add    UNTOUCHED UNTOUCHED UNTOUCHED",
            "priv update CHANGED   NOT_FOUND NOT_FOUND",
            "priv remove REMOVED   UNTOUCHED UNTOUCHED",
            "cw   get    SEES      SEES      SEES",
            "cw   list   SEES      SEES      SEES",
            "cw   query  SEES      SEES      SEES",
            "cw   count  SEES      SEES      SEES",
            "cw   put    CHANGED   DENIED    DENIED",
            "cw   add    UNTOUCHED UNTOUCHED UNTOUCHED",
            "cw   update CHANGED   DENIED    DENIED",
            "cw   remove REMOVED   DENIED    DENIED",
            "sw   get    SEES      SEES      SEES",
            "sw   list   SEES      SEES      SEES",
            "sw   query  SEES      SEES      SEES",
            "sw   count  SEES      SEES      SEES",
            "sw   put    DENIED    DENIED    DENIED",
            "sw   add    DENIED    DENIED    DENIED",
            "sw   update DENIED    DENIED    DENIED",
            "sw   remove DENIED    DENIED    DENIED",
            "so   get    DENIED    DENIED    DENIED",
            "so   list   DENIED    DENIED    DENIED",
            "so   query  DENIED    DENIED    DENIED",
            "so   count  DENIED    DENIED    DENIED",
            "so   put    DENIED    DENIED    DENIED",
            "so   add    DENIED    DENIED    DENIED",
            "so   update DENIED    DENIED    DENIED",
            "so   remove DENIED    DENIED    DENIED",
            "rl   get    SEES      DENIED    SEES",
            "rl   list   DENIED    DENIED    DENIED",
            "rl   query  SEES      HIDDEN    SEES",
            "rl   count  SEES      HIDDEN    SEES",
            "rl   put    CHANGED   DENIED    CHANGED",
            "rl   add    UNTOUCHED UNTOUCHED UNTOUCHED",
            "rl   update CHANGED   DENIED    CHANGED",
            "rl   remove REMOVED   DENIED    DENIED");

    static final List<String> CALLERS = List.of("owner", "other", "member", "none");

    @RegisterExtension
    static final DbFixture fx = new DbFixture(DECLARATION);
    static final TablesDeclaration TABLES = TablesDeclaration.parse(DECLARATION);
    /** The server's view of the stored rows (as an app function has it), to seed and to look. */
    static final RowService server = new RowService(fx.admin, TABLES, fx.clock);
    static final AtomicInteger CASES = new AtomicInteger();

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String line : EXPECTED.split("\n")) {
            String[] cells = line.trim().split("\\s+");
            for (int i = 0; i < CALLERS.size(); i++) {
                out.add(Arguments.of(cells[0], cells[1], CALLERS.get(i), i < 3 ? cells[2 + i] : "UNAUTH"));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} as {2}: {3}")
    @MethodSource("cases")
    void eachModeOpAndCallerHasItsOutcomeAndARefusalChangesNothing(String table, String op, String caller,
                                                                    String expected) {
        TableDeclaration t = TABLES.table(table);
        DbFixture.User owner = fx.newUser("owner");
        DbFixture.User member = fx.newUser("member");
        DbFixture.User other = fx.newUser("other");
        String id = "t" + CASES.incrementAndGet();
        server.put(Actor.server(owner.uid), t, json("{\"id\":\"" + id + "\",\"n\":1,\"members\":[\"" + member.uid
                + "\"]}"), Expect.ABSENT, null);
        List<String> before = snapshot(t, owner.uid);
        DbFixture.User as = caller.equals("owner") ? owner : caller.equals("member") ? member : other;
        ObjectNode event = as.event(op, request(table, op, id));
        if (caller.equals("none")) {
            event.remove("sid");
        }

        ObjectNode answer = fx.invoke(event);

        check(t, op, id, owner, expected, answer, before);
    }

    private static void check(TableDeclaration t, String op, String id, DbFixture.User owner, String expected,
                              ObjectNode answer, List<String> before) {
        String code = answer.path("error").path("code").asText(null);
        ObjectNode stored = server.get(Actor.server(owner.uid), t, id);
        switch (expected) {
            case "UNAUTH":
            case "DENIED":
            case "NOT_FOUND":
                assertThat(code).isEqualTo(expected.equals("UNAUTH") ? "UNAUTHENTICATED"
                        : expected.equals("DENIED") ? "PERMISSION_DENIED" : "NOT_FOUND");
                if (expected.equals("DENIED")) {
                    assertThat(answer.at("/error/message").asText()).contains(t.name());
                }
                assertThat(snapshot(t, owner.uid)).isEqualTo(before);
                return;
            case "SEES":
            case "HIDDEN":
                assertThat(code).as(answer.toString()).isNull();
                assertThat(sees(op, id, answer.get("data"))).isEqualTo(expected.equals("SEES"));
                assertThat(snapshot(t, owner.uid)).isEqualTo(before);
                return;
            case "CHANGED":
                assertThat(code).as(answer.toString()).isNull();
                assertThat(stored.get("n").asLong()).isEqualTo(99);
                assertThat(stored.get("_version").asLong()).isEqualTo(2);
                return;
            case "REMOVED":
                assertThat(code).as(answer.toString()).isNull();
                assertThat(stored).isNull();
                return;
            default:
                assertThat(code).as(answer.toString()).isNull();
                assertThat(stored.get("n").asLong()).isEqualTo(1);
                assertThat(stored.get("_version").asLong()).isEqualTo(1);
        }
    }

    /** Whether the read answer holds the row {@code id}. */
    private static boolean sees(String op, String id, JsonNode data) {
        switch (op) {
            case "get":
                return !data.isNull() && data.get("id").asText().equals(id);
            case "count":
                return data.asLong() == 1;
            default:
                for (JsonNode item : data) {
                    if (item.get("id").asText().equals(id)) {
                        return true;
                    }
                }
                return false;
        }
    }

    /** The op's fields: each names the row {@code id} (list by prefix, query and count by where). */
    private static String request(String table, String op, String id) {
        String t = "\"table\":\"" + table + "\",";
        switch (op) {
            case "get":
            case "remove":
                return "{" + t + "\"id\":\"" + id + "\"}";
            case "list":
                return "{" + t + "\"prefix\":\"" + id + "\",\"limit\":100}";
            case "query":
            case "count":
                return "{" + t + "\"where\":{\"id\":\"" + id + "\"}}";
            case "put":
                return "{" + t + "\"obj\":{\"id\":\"" + id + "\",\"n\":99}}";
            case "add":
                return "{" + t + "\"obj\":{\"n\":7}}";
            default:
                return "{" + t + "\"id\":\"" + id + "\",\"set\":{\"n\":99}}";
        }
    }

    /** Every stored row of the table, every partition, as the server's scan reads them. */
    static List<String> snapshot(TableDeclaration t, String ownerUid) {
        List<String> rows = new ArrayList<>();
        String next = null;
        do {
            RowService.Page page = server.scan(t, 100, next);
            page.items.forEach(item -> rows.add(item.toString()));
            next = page.next;
        } while (next != null);
        return rows;
    }
}
