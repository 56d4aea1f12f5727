package com.fcminiapp.db;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.fcminiapp.db.DbFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

class ConcurrentWritesTest {

    /** Far above the few seconds these races take; a hang fails the test instead of the build. */
    private static final long WAIT_SECONDS = 60;

    @RegisterExtension
    static final DbFixture fx = new DbFixture();

    @Test
    void twentyWritersOnOneVersionHaveExactlyOneWinnerAndTheRestConflict() throws Exception {
        DbFixture.User u = fx.newUser("race");
        fx.invoke(u.event("put", "{\"obj\":{\"id\":\"hot\",\"w\":-1}}"));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ObjectNode>> answers = new ArrayList<>();
        try {
            for (int w = 0; w < 20; w++) {
                int writer = w;
                answers.add(pool.submit(() -> {
                    go.await();
                    return fx.invoke(u.event("put", "{\"obj\":{\"id\":\"hot\",\"w\":" + writer + "},\"version\":1}"));
                }));
            }
            go.countDown();
            int wins = 0;
            int conflicts = 0;
            long winner = -1;
            for (int w = 0; w < 20; w++) {
                ObjectNode answer = answers.get(w).get(WAIT_SECONDS, TimeUnit.SECONDS);
                if (answer.has("data")) {
                    wins++;
                    winner = w;
                    assertThat(answer.at("/data/_version").asLong()).isEqualTo(2);
                } else {
                    conflicts++;
                    assertThat(answer.at("/error/code").asText()).isEqualTo("CONFLICT");
                }
            }
            assertThat(wins).isEqualTo(1);
            assertThat(conflicts).isEqualTo(19);
            ObjectNode item = (ObjectNode) fx.invoke(u.event("get", "{\"id\":\"hot\"}")).get("data");
            assertThat(item.get("w").asLong()).isEqualTo(winner);
            assertThat(item.get("_version").asLong()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twentyWritersRetryingOnConflictLoseNoWriteAndEachVersionHasOneWriter() throws Exception {
        DbFixture.User u = fx.newUser("race");
        fx.invoke(u.event("put", "{\"obj\":{\"id\":\"counter\",\"n\":0}}"));
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch go = new CountDownLatch(1);
        Set<Long> versionsWon = ConcurrentHashMap.newKeySet();
        List<Future<Long>> results = new ArrayList<>();
        try {
            for (int w = 0; w < 20; w++) {
                results.add(pool.submit(() -> {
                    go.await();
                    // each round has a winner, so no writer needs more rounds than there are writers
                    for (int round = 0; round < 20; round++) {
                        ObjectNode item = (ObjectNode) fx.invoke(u.event("get", "{\"id\":\"counter\"}")).get("data");
                        long version = item.get("_version").asLong();
                        long n = item.get("n").asLong();
                        ObjectNode event = u.event("update", json("{\"id\":\"counter\"}"));
                        event.putObject("set").put("n", n + 1);
                        event.put("version", version);
                        ObjectNode answer = fx.invoke(event);
                        if (answer.has("data")) {
                            long won = answer.at("/data/_version").asLong();
                            assertThat(versionsWon.add(won)).as("version %d won twice", won).isTrue();
                            return won;
                        }
                        assertThat(answer.at("/error/code").asText()).isEqualTo("CONFLICT");
                    }
                    throw new AssertionError("a writer lost 20 rounds in a row");
                }));
            }
            go.countDown();
            for (Future<Long> result : results) {
                assertThat(result.get(WAIT_SECONDS, TimeUnit.SECONDS)).isBetween(2L, 21L);
            }
            ObjectNode item = (ObjectNode) fx.invoke(u.event("get", "{\"id\":\"counter\"}")).get("data");
            assertThat(item.get("n").asLong()).isEqualTo(20);
            assertThat(item.get("_version").asLong()).isEqualTo(21);
            assertThat(versionsWon).hasSize(20).allMatch(v -> v >= 2 && v <= 21);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unconditionalPutsFromManyWritersAllLandWithDistinctVersions() throws Exception {
        DbFixture.User u = fx.newUser("race");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<ObjectNode>> answers = new ArrayList<>();
        try {
            for (int w = 0; w < 10; w++) {
                int writer = w;
                answers.add(pool.submit(() -> {
                    go.await();
                    return fx.invoke(u.event("put", "{\"obj\":{\"id\":\"free\",\"w\":" + writer + "}}"));
                }));
            }
            go.countDown();
            Set<Long> versions = ConcurrentHashMap.newKeySet();
            for (Future<ObjectNode> answer : answers) {
                ObjectNode a = answer.get(WAIT_SECONDS, TimeUnit.SECONDS);
                assertThat(a.has("data")).as(a.toString()).isTrue();
                versions.add(a.at("/data/_version").asLong());
            }
            assertThat(versions).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        } finally {
            pool.shutdownNow();
        }
    }
}
