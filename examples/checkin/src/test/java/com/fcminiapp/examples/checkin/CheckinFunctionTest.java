package com.fcminiapp.examples.checkin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.db.DbHandler;
import com.fcminiapp.kit.testing.KitTestCloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The checkin function on the kit against the stand-ins: once a day in Asia/Shanghai, 10 points, whatever is sent. */
class CheckinFunctionTest {

    static final KitTestCloud cloud = KitTestCloud.start(CheckinTable.NAME);
    static final AtomicInteger users = new AtomicInteger();
    static CheckinHandler handler;
    static DbHandler db;

    String user;
    String sid;

    @BeforeAll
    static void start() {
        handler = new CheckinHandler(cloud.env(), cloud.clock());
        cloud.initialize(handler);
        Map<String, String> dbEnv = cloud.env();
        dbEnv.put("DATA_TABLES", CheckinTable.NAME);
        db = new DbHandler(dbEnv, cloud.clock());
        db.initialize(cloud.context());
    }

    @AfterAll
    static void stop() {
        cloud.preStop(handler);
        db.preStop(cloud.context());
        cloud.close();
    }

    @BeforeEach
    void newUser() {
        cloud.clock().set(Instant.parse("2026-12-01T04:00:00Z"));
        user = "user" + users.incrementAndGet();
        sid = cloud.login(user);
    }

    @Test
    void theFirstCheckinOfADayIsTrueWithTenPointsAndTheSecondIsFalseWithTheSameTotal() {
        assertThat(checkin(sid, "{}")).isEqualTo(answer(true, 10));
        assertThat(checkin(sid, "{}")).isEqualTo(answer(false, 10));
        assertThat(checkin(sid, null)).isEqualTo(answer(false, 10));
    }

    @Test
    void aDayIsACalendarDayInShanghaiFromSixteenHundredUtcToSixteenHundredUtc() {
        cloud.clock().set(Instant.parse("2026-11-30T16:00:00Z"));   // 2026-12-01 00:00:00 in Shanghai
        assertThat(checkin(sid, "{}")).isEqualTo(answer(true, 10));
        assertThat(stored(sid).path("lastDay").asText()).isEqualTo("2026-12-01");
        cloud.clock().set(Instant.parse("2026-12-01T15:59:59Z"));   // 23:59:59 the same day there
        assertThat(checkin(sid, "{}")).isEqualTo(answer(false, 10));
        cloud.clock().set(Instant.parse("2026-12-01T16:00:00Z"));   // 2026-12-02 00:00:00 there
        assertThat(checkin(sid, "{}")).isEqualTo(answer(true, 20));
        assertThat(stored(sid).path("lastDay").asText()).isEqualTo("2026-12-02");
        assertThat(checkin(sid, "{}")).isEqualTo(answer(false, 20));
    }

    @Test
    void aDayBeforeSixteenHundredUtcIsStillTheDayBeforeInShanghai() {
        cloud.clock().set(Instant.parse("2026-11-30T15:59:59Z"));   // 2026-11-30 23:59:59 in Shanghai
        assertThat(checkin(sid, "{}")).isEqualTo(answer(true, 10));
        assertThat(stored(sid).path("lastDay").asText()).isEqualTo("2026-11-30");
        cloud.clock().set(Instant.parse("2026-11-30T16:00:00Z"));
        assertThat(checkin(sid, "{}")).isEqualTo(answer(true, 20));
    }

    @Test
    void pointsUidOrCheckedInInTheInputChangeNothing() {
        String other = "forged" + users.incrementAndGet();
        String forged = "{\"points\": 1000, \"uid\": \"" + cloud.uid(other) + "\", \"checkedIn\": true}";
        assertThat(checkin(sid, forged)).isEqualTo(answer(true, 10));
        assertThat(checkin(sid, forged)).isEqualTo(answer(false, 10));
        assertThat(stored(sid).path("points").asLong()).isEqualTo(10);
        // the uid named in the input got nothing
        assertThat(stored(cloud.login(other)).isNull()).isTrue();
    }

    @Test
    void twentyConcurrentCheckinsOfOneUserOnOneDayCountOnce() throws Exception {
        int callers = 20;
        CountDownLatch ready = new CountDownLatch(callers);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return checkin(sid, "{}");
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            int checkedIn = 0;
            for (Future<JsonNode> answer : answers) {
                JsonNode data = answer.get(60, TimeUnit.SECONDS);
                assertThat(data.path("points").asLong()).as("%s", data).isEqualTo(10);
                checkedIn += data.path("checkedIn").asBoolean() ? 1 : 0;
            }
            assertThat(checkedIn).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        JsonNode row = stored(sid);
        assertThat(row.path("points").asLong()).isEqualTo(10);
        assertThat(row.path("_version").asLong()).isEqualTo(1);
    }

    @Test
    void theStoredRowReadThroughTheDbFunctionHoldsTheSamePointsAndDay() {
        checkin(sid, "{}");
        cloud.clock().set(Instant.parse("2026-12-02T04:00:00Z"));
        checkin(sid, "{}");
        JsonNode row = stored(sid);
        assertThat(row.path("id").asText()).isEqualTo("total");
        assertThat(row.path("points").isIntegralNumber()).isTrue();
        assertThat(row.path("points").asLong()).isEqualTo(20);
        assertThat(row.path("lastDay").asText()).isEqualTo("2026-12-02");
        assertThat(row.path("_version").asLong()).isEqualTo(2);
        assertThat(row.path("_updatedAt").asLong()).isEqualTo(Instant.parse("2026-12-02T04:00:00Z").toEpochMilli());
    }

    @Test
    void withoutALiveSessionNothingIsCheckedIn() {
        JsonNode answer = cloud.invoke(handler, "{\"sid\": \"" + "x".repeat(43) + "\", \"input\": {}}");
        assertThat(answer.path("error").path("code").asText()).isEqualTo("UNAUTHENTICATED");
        cloud.logout(sid);
        assertThat(cloud.invoke(handler, cloud.event(sid, "{}")).path("error").path("code").asText())
                .isEqualTo("UNAUTHENTICATED");
        assertThat(stored(cloud.login(user)).isNull()).isTrue();
    }

    /** The function's {@code data}; fails the test on an error answer. */
    static JsonNode checkin(String sid, String input) {
        JsonNode answer = cloud.invoke(handler, cloud.event(sid, input));
        assertThat(answer.has("data")).as("%s", answer).isTrue();
        return answer.get("data");
    }

    /** The answer as parsed JSON holds it (a small number is an int node). */
    static JsonNode answer(boolean checkedIn, int points) {
        return JsonNodeFactory.instance.objectNode().put("checkedIn", checkedIn).put("points", points);
    }

    /** The user's row as the db function's get answers it (its own session, its own partition). */
    static JsonNode stored(String sid) {
        String event = "{\"sid\": \"" + sid + "\", \"op\": \"get\", \"table\": \"checkin\", \"id\": \"total\"}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonNode answer;
        try {
            db.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, cloud.context());
            answer = Json.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(answer.has("data")).as("%s", answer).isTrue();
        return answer.get("data");
    }
}
