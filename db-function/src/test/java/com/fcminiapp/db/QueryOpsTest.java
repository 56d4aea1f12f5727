package com.fcminiapp.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static com.fcminiapp.db.DbFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * query and count through the db function on the search index (lag 0): where operators, orderBy with the id
 * tie-break, paging with next, count, the refusals (an unindexed field, a wrong type, limit 101, a bad next), and
 * the queries that try to escape a rule: the server ANDs the rule's conditions or refuses.
 */
class QueryOpsTest {

    static final String DECLARATION = "{"
            + "\"todo_list\":{\"indexes\":{\"done\":\"boolean\",\"_createdAt\":\"integer\"}},"
            + "\"guestbook\":{\"mode\":\"creator-write\",\"indexes\":{\"_createdAt\":\"integer\",\"_owner\":\"string\","
            + "\"likes\":\"integer\",\"tags\":\"string[]\",\"score\":\"number\",\"run\":\"string\"}},"
            + "\"lists\":{\"mode\":\"rules\",\"rules\":{\"read\":\"doc._owner == auth.uid || auth.uid in doc.members\","
            + "\"update\":\"doc._owner == auth.uid || auth.uid in doc.members\",\"create\":\"true\","
            + "\"delete\":\"doc._owner == auth.uid\"},"
            + "\"indexes\":{\"_owner\":\"string\",\"members\":\"string[]\",\"_createdAt\":\"integer\",\"run\":\"string\"}},"
            + "\"drafts\":{\"mode\":\"rules\",\"rules\":{\"read\":\"doc.published == true\",\"create\":\"true\"},"
            + "\"indexes\":{\"published\":\"boolean\",\"run\":\"string\"}}}";

    @RegisterExtension
    static final DbFixture fx = new DbFixture(DECLARATION);
    static final AtomicInteger RUNS = new AtomicInteger();

    static String code(ObjectNode answer) {
        return answer.path("error").path("code").asText(null);
    }

    static String run() {
        return "run" + RUNS.incrementAndGet();
    }

    static String add(DbFixture.User u, String table, String obj) {
        ObjectNode answer = fx.invoke(u.event("add", "{\"table\":\"" + table + "\",\"obj\":" + obj + "}"));
        assertThat(code(answer)).as(answer.toString()).isNull();
        return answer.at("/data/id").asText();
    }

    static ObjectNode query(DbFixture.User u, String table, String fields) {
        return fx.invoke(u.event("query", json("{\"table\":\"" + table + "\"," + fields.substring(1))));
    }

    static List<String> ids(ObjectNode answer) {
        assertThat(code(answer)).as(answer.toString()).isNull();
        List<String> ids = new ArrayList<>();
        answer.get("data").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    @Test
    void pagesWithNextCoverEveryRowOnceInOrderByOrderWithTiesBrokenById() {
        DbFixture.User u = fx.newUser("pager");
        String run = run();
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            int likes = i % 3;
            rows.add(new String[]{add(u, "guestbook", "{\"run\":\"" + run + "\",\"likes\":" + likes + "}"),
                    String.valueOf(likes)});
        }
        List<String> seen = new ArrayList<>();
        String next = null;
        int pages = 0;
        do {
            ObjectNode page = query(u, "guestbook", "{\"where\":{\"run\":\"" + run + "\"},\"orderBy\":[[\"likes\","
                    + "\"desc\"]],\"limit\":5" + (next == null ? "" : ",\"next\":\"" + next + "\"") + "}");
            seen.addAll(ids(page));
            next = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (next != null);
        rows.sort(Comparator.<String[], Integer>comparing(r -> -Integer.parseInt(r[1])).thenComparing(r -> r[0]));
        List<String> expected = new ArrayList<>();
        rows.forEach(r -> expected.add(r[0]));
        assertThat(seen).isEqualTo(expected);
        assertThat(new HashSet<>(seen)).hasSize(23);
        assertThat(pages).isBetween(5, 6);
    }

    @Test
    void withoutOrderByRowsComeInIdOrderTwentyAPageByDefault() {
        DbFixture.User u = fx.newUser("dflt");
        String run = run();
        List<String> added = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            added.add(add(u, "guestbook", "{\"run\":\"" + run + "\"}"));
        }
        ObjectNode first = query(u, "guestbook", "{\"where\":{\"run\":\"" + run + "\"}}");
        assertThat(ids(first)).isEqualTo(added.subList(0, 20));
        assertThat(first.get("next").isTextual()).isTrue();
        ObjectNode last = query(u, "guestbook", "{\"where\":{\"run\":\"" + run + "\"},\"next\":\""
                + first.get("next").asText() + "\"}");
        assertThat(ids(last)).isEqualTo(added.subList(20, 21));
        assertThat(last.get("next").isNull()).isTrue();
    }

    @Test
    void whereOperatorsSelectTheMatchingRows() {
        DbFixture.User u = fx.newUser("ops");
        String run = run();
        String a = add(u, "guestbook", "{\"run\":\"" + run + "\",\"likes\":1,\"tags\":[\"red\",\"big\"],\"score\":2}");
        String b = add(u, "guestbook", "{\"run\":\"" + run + "\",\"likes\":5,\"tags\":[\"blue\"],\"score\":2.5}");
        String c = add(u, "guestbook", "{\"run\":\"" + run + "\",\"likes\":10}");
        String w = "{\"where\":{\"run\":\"" + run + "\",";
        assertThat(ids(query(u, "guestbook", w + "\"likes\":{\"gte\":5,\"lt\":10}}}"))).containsExactly(b);
        assertThat(ids(query(u, "guestbook", w + "\"likes\":{\"in\":[1,10]}}}"))).containsExactly(a, c);
        assertThat(ids(query(u, "guestbook", w + "\"likes\":{\"ne\":5}}}"))).containsExactly(a, c);
        assertThat(ids(query(u, "guestbook", w + "\"tags\":\"big\"}}"))).containsExactly(a);
        assertThat(ids(query(u, "guestbook", w + "\"tags\":{\"in\":[\"blue\",\"big\"]}}}"))).containsExactly(a, b);
        assertThat(ids(query(u, "guestbook", w + "\"tags\":{\"exists\":false}}}"))).containsExactly(c);
        assertThat(ids(query(u, "guestbook", w + "\"score\":{\"gt\":2}}}"))).containsExactly(b);
        assertThat(ids(query(u, "guestbook", "{\"where\":{\"run\":{\"prefix\":\"" + run + "\"},\"likes\":10}}")))
                .containsExactly(c);
        ObjectNode item = (ObjectNode) query(u, "guestbook", w + "\"score\":2}}").get("data").get(0);
        assertThat(item.get("score").toString()).isEqualTo("2");
        assertThat(item.get("tags").toString()).isEqualTo("[\"red\",\"big\"]");
        assertThat(item).isEqualTo(fx.invoke(u.event("get", "{\"table\":\"guestbook\",\"id\":\"" + a + "\"}"))
                .get("data"));
    }

    @Test
    void countCountsTheRowsTheCallerMayReadThatMatch() {
        DbFixture.User a = fx.newUser("ca");
        DbFixture.User b = fx.newUser("cb");
        for (int i = 0; i < 5; i++) {
            add(a, "todo_list", "{\"done\":" + (i < 3) + "}");
        }
        add(b, "todo_list", "{\"done\":true}");
        assertThat(fx.invoke(a.event("count", "{\"where\":{\"done\":true}}"))).isEqualTo(json("{\"data\":3}"));
        assertThat(fx.invoke(a.event("count", "{}")).get("data").asLong()).isEqualTo(5);
        assertThat(ids(query(b, "todo_list", "{\"where\":{}}"))).hasSize(1);
    }

    @Test
    void anUnindexedFieldAWrongTypeALimitOver100AndABadNextAreInvalid() {
        DbFixture.User u = fx.newUser("bad");
        ObjectNode unindexed = query(u, "guestbook", "{\"where\":{\"body\":\"x\"}}");
        assertThat(code(unindexed)).isEqualTo("INVALID_ARGUMENT");
        assertThat(unindexed.at("/error/message").asText()).contains("body");
        ObjectNode sort = query(u, "guestbook", "{\"orderBy\":[[\"body\",\"asc\"]]}");
        assertThat(code(sort)).isEqualTo("INVALID_ARGUMENT");
        assertThat(sort.at("/error/message").asText()).contains("body");
        assertThat(code(query(u, "guestbook", "{\"where\":{\"likes\":\"many\"}}"))).isEqualTo("INVALID_ARGUMENT");
        assertThat(code(query(u, "guestbook", "{\"orderBy\":[[\"tags\",\"asc\"]]}"))).isEqualTo("INVALID_ARGUMENT");
        assertThat(code(fx.invoke(u.event("count", "{\"table\":\"guestbook\",\"where\":{\"body\":1}}"))))
                .isEqualTo("INVALID_ARGUMENT");
        ObjectNode over = query(u, "guestbook", "{\"limit\":101}");
        assertThat(code(over)).isEqualTo("INVALID_ARGUMENT");
        assertThat(over.at("/error/message").asText()).contains("100");
        assertThat(code(query(u, "guestbook", "{\"limit\":100}"))).isNull();
        assertThat(code(query(u, "guestbook", "{\"limit\":0}"))).isEqualTo("INVALID_ARGUMENT");
        assertThat(code(query(u, "guestbook", "{\"next\":\"%%%\"}"))).isEqualTo("INVALID_ARGUMENT");
        assertThat(code(query(u, "guestbook", "{\"next\":\"bm90LWEtdG9rZW4\"}"))).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void aQueryCannotEscapeTheReadRuleWhateverItsWhereOrOrder() {
        DbFixture.User owner = fx.newUser("lo");
        DbFixture.User member = fx.newUser("lm");
        DbFixture.User stranger = fx.newUser("ls");
        String run = run();
        String shared = add(owner, "lists", "{\"run\":\"" + run + "\",\"members\":[\"" + member.uid + "\"]}");
        String own = add(stranger, "lists", "{\"run\":\"" + run + "\"}");
        String r = "\"run\":\"" + run + "\"";
        assertThat(ids(query(stranger, "lists", "{\"where\":{" + r + "}}"))).containsExactly(own);
        assertThat(ids(query(stranger, "lists", "{\"where\":{" + r + ",\"_owner\":\"" + owner.uid + "\"}}"))).isEmpty();
        assertThat(ids(query(stranger, "lists", "{\"where\":{" + r + ",\"members\":\"" + member.uid + "\"}}")))
                .isEmpty();
        assertThat(ids(query(stranger, "lists", "{\"where\":{" + r + ",\"_owner\":{\"ne\":\"" + stranger.uid
                + "\"}}}"))).isEmpty();
        assertThat(ids(query(stranger, "lists", "{\"where\":{" + r + "},\"orderBy\":[[\"_owner\",\"desc\"]]}")))
                .containsExactly(own);
        assertThat(ids(query(member, "lists", "{\"where\":{" + r + "}}"))).containsExactly(shared);
        assertThat(ids(query(owner, "lists", "{\"where\":{" + r + "}}"))).containsExactly(shared);
        assertThat(fx.invoke(stranger.event("count", "{\"table\":\"lists\",\"where\":{" + r + "}}")).get("data")
                .asLong()).isEqualTo(1);
    }

    @Test
    void aQueryTheRuleCannotBeProvenToCoverIsRefusedNeverFiltered() {
        DbFixture.User u = fx.newUser("dr");
        String run = run();
        String published = add(u, "drafts", "{\"run\":\"" + run + "\",\"published\":true}");
        add(u, "drafts", "{\"run\":\"" + run + "\",\"published\":false}");
        ObjectNode uncovered = query(u, "drafts", "{\"where\":{\"run\":\"" + run + "\"}}");
        assertThat(code(uncovered)).isEqualTo("PERMISSION_DENIED");
        assertThat(uncovered.at("/error/message").asText()).contains("drafts", "doc.published == true");
        assertThat(code(fx.invoke(u.event("count", "{\"table\":\"drafts\"}")))).isEqualTo("PERMISSION_DENIED");
        assertThat(code(query(u, "drafts", "{\"where\":{\"published\":false}}"))).isEqualTo("PERMISSION_DENIED");
        assertThat(ids(query(u, "drafts", "{\"where\":{\"run\":\"" + run + "\",\"published\":true}}")))
                .containsExactly(published);
    }

    @Test
    void aSearchFailingAfterTheSessionCheckIsUpstreamUnavailableWithoutTheServicesText() {
        DbFixture.User u = fx.newUser("down");
        for (String op : List.of("query", "count")) {
            // the session's GetRow is served, the Search after it fails (with retries, every request fails)
            fx.tablestore.faults().failAfter(1, Long.MAX_VALUE);
            try {
                ObjectNode answer = fx.invoke(u.event(op, "{\"table\":\"guestbook\"}"));
                assertThat(code(answer)).as(op).isEqualTo("UPSTREAM_UNAVAILABLE");
                assertThat(answer.at("/error/message").asText()).doesNotContain("Exception").doesNotContain("OTS");
            } finally {
                fx.tablestore.faults().clear();
            }
        }
        assertThat(code(query(u, "guestbook", "{\"limit\":1}"))).isNull();
    }

    @Test
    void addMakesUniqueTwentySixCharacterIdsSortedByCreation() {
        DbFixture.User u = fx.newUser("ids");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            if (i == 20) {
                fx.clock.advance(java.time.Duration.ofMillis(1));
            }
            ids.add(add(u, "todo_list", "{\"n\":" + i + "}"));
        }
        Set<String> unique = new HashSet<>(ids);
        assertThat(unique).hasSize(40);
        assertThat(ids).allMatch(id -> id.matches("[0-9A-HJKMNP-TV-Z]{26}"));
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(Comparator.naturalOrder());
        assertThat(ids).isEqualTo(sorted);
        JsonNode first = fx.invoke(u.event("get", "{\"id\":\"" + ids.get(0) + "\"}")).get("data");
        assertThat(first.get("n").asLong()).isZero();
        assertThat(first.get("_version").asLong()).isEqualTo(1);
        assertThat(code(fx.invoke(u.event("add", "{\"obj\":{\"id\":\"mine\"}}")))).isEqualTo("INVALID_ARGUMENT");
        assertThat(code(fx.invoke(u.event("add", "{}")))).isEqualTo("INVALID_ARGUMENT");
    }
}
