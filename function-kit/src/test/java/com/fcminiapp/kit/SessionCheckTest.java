package com.fcminiapp.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.kit.testing.KitTestCloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The session is checked before any of the team's code runs, with exactly the db function's one answer. */
class SessionCheckTest {

    static final KitTestCloud cloud = KitTestCloud.start();

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void missingMalformedUnknownExpiredAndLoggedOutSessionsGetOneUnauthenticatedBodyAndTheFunctionNeverRuns() {
        AtomicInteger ran = new AtomicInteger();
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), (caller, input) -> ran.incrementAndGet());
        String expired = cloud.login("exp");
        cloud.expire(expired);
        String loggedOut = cloud.login("out");
        cloud.logout(loggedOut);
        List<String> events = List.of(
                "{\"input\":{\"uid\":\"2088000000000001\"}}",
                "{\"sid\":null}",
                "{\"sid\":42}",
                "{\"sid\":\"short\"}",
                "{\"sid\":\"" + "A".repeat(43) + "\"}",
                "{\"sid\":\"" + expired + "\"}",
                "{\"sid\":\"" + loggedOut + "\"}");

        List<String> bodies = new ArrayList<>();
        for (String event : events) {
            JsonNode error = cloud.invoke(handler, event).get("error");
            assertThat(error.get("requestId").asText()).as(event).isNotEmpty();
            bodies.add(error.get("code").asText() + "|" + error.get("message").asText());
        }

        assertThat(bodies).hasSize(7).containsOnly("UNAUTHENTICATED|" + ApiException.SESSION_INVALID_MESSAGE);
        assertThat(ran).hasValue(0);
    }

    @Test
    void aSessionExpiredByTheClockIsRefusedThoughItWasLiveAMomentBefore() {
        AtomicInteger ran = new AtomicInteger();
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), (caller, input) -> ran.incrementAndGet());
        String sid = cloud.login("clock");

        JsonNode before = cloud.invoke(handler, cloud.event(sid, null));
        cloud.clock().advance(KitTestCloud.SESSION_TTL);
        JsonNode after = cloud.invoke(handler, cloud.event(sid, null));

        assertThat(before.get("data").asInt()).isEqualTo(1);
        assertThat(after.at("/error/code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(after.at("/error/message").asText()).isEqualTo(ApiException.SESSION_INVALID_MESSAGE);
        assertThat(ran).hasValue(1);
    }
}
