package com.fcminiapp.localcloud.fcapi;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Instances view's counts: calls held open at once (a latch keeps each running until all have started, no
 * sleep) set the peak, FC's instances are ceil(peak / InstanceConcurrency), and calls one after another peak at one.
 */
class InstanceCounterTest {

    /** service → function → its InstanceConcurrency, as FcApiServer hands its hosts. */
    private static Map<String, Map<String, Integer>> functions(int dbConcurrency) {
        Map<String, Map<String, Integer>> services = new LinkedHashMap<>();
        services.put("fc-miniapp-session", Map.of("session", 1));
        services.put("fc-miniapp", Map.of("db", dbConcurrency));
        return services;
    }

    private static JsonNode entry(JsonNode answer, String function) {
        for (JsonNode f : answer.path("functions")) {
            if (f.path("function").asText().equals(function)) {
                return f;
            }
        }
        throw new AssertionError(function + " missing from " + answer);
    }

    /** {@code n} calls of db running at once: each enters, waits until all have entered, then ends. */
    private static void concurrentCalls(InstanceCounter counter, int n) throws Exception {
        CountDownLatch entered = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(pool.submit(() -> {
                    try (InstanceCounter.Running running = counter.start("fc-miniapp", "db")) {
                        entered.countDown();
                        return release.await(30, TimeUnit.SECONDS);
                    }
                }));
            }
            assertThat(entered.await(30, TimeUnit.SECONDS)).as("all calls running").isTrue();
            assertThat(entry(counter.toJson(functions(1), c -> c), "db").path("running").asInt()).isEqualTo(n);
            release.countDown();
            for (Future<?> call : calls) {
                assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo(true);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fiveCallsHeldOpenTogetherPeakAtFiveAndNeedFiveInstancesAtConcurrencyOne() throws Exception {
        InstanceCounter counter = new InstanceCounter();
        concurrentCalls(counter, 5);

        JsonNode db = entry(counter.toJson(functions(1), c -> c), "db");
        assertThat(db.path("calls").asLong()).isEqualTo(5);
        assertThat(db.path("running").asInt()).isZero();
        assertThat(db.path("peakConcurrent").asInt()).isEqualTo(5);
        assertThat(db.path("instanceConcurrency").asInt()).isEqualTo(1);
        assertThat(db.path("instances").asInt()).isEqualTo(5);
        JsonNode session = entry(counter.toJson(functions(1), c -> c), "session");
        assertThat(session.path("calls").asLong()).isZero();
        assertThat(session.path("instances").asInt()).isZero();
    }

    @Test
    void theInstancesAreThePeakDividedByInstanceConcurrencyRoundedUp() throws Exception {
        InstanceCounter counter = new InstanceCounter();
        concurrentCalls(counter, 5);

        assertThat(entry(counter.toJson(functions(2), c -> c), "db").path("instances").asInt()).isEqualTo(3);
        assertThat(entry(counter.toJson(functions(5), c -> c), "db").path("instances").asInt()).isEqualTo(1);
        assertThat(entry(counter.toJson(functions(10), c -> c), "db").path("instances").asInt()).isEqualTo(1);
    }

    @Test
    void callsOneAfterAnotherPeakAtOneAndNeedOneInstance() {
        InstanceCounter counter = new InstanceCounter();
        for (int i = 0; i < 4; i++) {
            counter.start("fc-miniapp", "db").close();
        }

        JsonNode db = entry(counter.toJson(functions(1), c -> c), "db");
        assertThat(db.path("calls").asLong()).isEqualTo(4);
        assertThat(db.path("peakConcurrent").asInt()).isEqualTo(1);
        assertThat(db.path("instances").asInt()).isEqualTo(1);
    }
}
