package com.fcminiapp.db;

import com.fcminiapp.localcloud.runtime.LocalContext;
import com.fcminiapp.localcloud.testing.TestContexts;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.common.session.SessionIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static com.fcminiapp.db.DbFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

class SessionCheckTest {

    @RegisterExtension
    static final DbFixture fx = new DbFixture();

    /** The answer with its request id blanked: what must be identical for every kind of bad session. */
    private static ObjectNode withoutRequestId(ObjectNode answer, LocalContext context) {
        assertThat(answer.at("/error/requestId").asText()).isEqualTo(context.getRequestId());
        ObjectNode copy = answer.deepCopy();
        ((ObjectNode) copy.get("error")).remove("requestId");
        return copy;
    }

    @Test
    void missingUnknownMalformedExpiredLoggedOutAndRevokedSessionsGetOneIdenticalAnswer() {
        DbFixture.User loggedOut = fx.newUser("s");
        fx.invoke(loggedOut.event("put", "{\"obj\":{\"id\":\"kept\"}}"));
        fx.sessions.delete(SessionIds.hash(loggedOut.sid));
        // a session whose absolute lifetime ends one second from now
        DbFixture.User shortLived = fx.login("short" + System.nanoTime());
        fx.sessions.delete(SessionIds.hash(shortLived.sid));
        fx.sessions.create(new com.fcminiapp.common.session.SessionRecord(SessionIds.hash(shortLived.sid),
                shortLived.uid, fx.clock.instant(), fx.clock.instant().plusSeconds(1)));

        // a live session revoked by its account's deletion
        DbFixture.User revoked = fx.login("rev" + System.nanoTime());
        fx.sessions.revoke(SessionIds.hash(revoked.sid), fx.clock.instant());

        List<ObjectNode> events = new ArrayList<>();
        events.add(revoked.event("get", "{\"id\":\"kept\"}"));
        events.add(json("{\"op\":\"get\",\"id\":\"kept\"}"));
        events.add(json("{\"op\":\"get\",\"id\":\"kept\",\"sid\":null}"));
        events.add(json("{\"op\":\"get\",\"id\":\"kept\",\"sid\":42}"));
        events.add(json("{\"op\":\"get\",\"id\":\"kept\",\"sid\":\"short\"}"));
        events.add(json("{\"op\":\"get\",\"id\":\"kept\"}").put("sid", SessionIds.newId()));
        events.add(loggedOut.event("get", "{\"id\":\"kept\"}"));
        events.add(json("{\"op\":\"nonsense\"}").put("sid", SessionIds.newId()));
        fx.clock.advance(Duration.ofSeconds(1));
        events.add(shortLived.event("get", "{\"id\":\"kept\"}"));

        ObjectNode first = null;
        for (ObjectNode event : events) {
            LocalContext context = fx.context();
            ObjectNode answer = fx.invoke(Json.write(event), context);
            assertThat(answer.at("/error/code").asText()).as(event.toString()).isEqualTo("UNAUTHENTICATED");
            ObjectNode body = withoutRequestId(answer, context);
            if (first == null) {
                first = body;
            }
            assertThat(body).isEqualTo(first);
            assertThat(answer.toString()).doesNotContain(loggedOut.sid, loggedOut.uid);
        }
    }

    @Test
    void aSessionPastItsExpiryIsRefusedEvenWhileItsRowRemains() {
        DbFixture.User u = fx.login("exp" + System.nanoTime());
        assertThat(fx.invoke(u.event("get", "{\"id\":\"x\"}")).has("data")).isTrue();
        Instant before = fx.clock.instant();
        fx.clock.advance(Duration.ofDays(7));
        try {
            assertThat(fx.invoke(u.event("get", "{\"id\":\"x\"}")).at("/error/code").asText()).isEqualTo("UNAUTHENTICATED");
        } finally {
            fx.clock.advance(Duration.between(fx.clock.instant(), before));
        }
        assertThat(fx.invoke(u.event("get", "{\"id\":\"x\"}")).has("data")).isTrue();
    }

    @Test
    void noSessionIdOrUidAppearsInLogLinesOrErrorAnswers() {
        DbFixture.User u = fx.newUser("log");
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<ObjectNode> events = List.of(u.event("put", "{\"obj\":{\"id\":\"x\",\"_bad\":1}}"),
                u.event("get", "{}"), u.event("update", "{\"id\":\"none\"}"), u.event("nope", "{}"),
                u.event("uploadPolicy", "{\"path\":\"../x\"}"), json("{\"op\":\"get\",\"sid\":\"" + u.sid + "x\"}"));
        List<String> answers = new ArrayList<>();
        for (ObjectNode event : events) {
            LocalContext context = TestContexts.create(fx.executionKey, lines);
            answers.add(fx.invoke(Json.write(event), context).toString());
        }
        fx.tablestore.faults().fail();
        try {
            LocalContext context = TestContexts.create(fx.executionKey, lines);
            answers.add(fx.invoke(Json.write(u.event("get", "{\"id\":\"x\"}")), context).toString());
        } finally {
            fx.tablestore.faults().clear();
        }
        assertThat(lines).isNotEmpty();
        assertThat(String.join("\n", lines) + String.join("\n", answers))
                .doesNotContain(u.sid, SessionIds.hash(u.sid), fx.executionKey.accessKeySecret,
                        fx.executionKey.securityToken)
                .doesNotContain("at com.", "Exception:");
        assertThat(String.join("\n", lines)).doesNotContain(u.uid);
    }

    @Test
    void aBodyThatIsNotJsonIsInvalidArgumentWithoutEchoingIt() {
        String secret = SessionIds.newId();
        ObjectNode answer = fx.invoke(("{\"sid\":\"" + secret + "\",").getBytes(StandardCharsets.UTF_8), fx.context());
        assertThat(answer.at("/error/code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(answer.toString()).doesNotContain(secret);
    }
}
