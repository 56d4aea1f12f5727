package com.fcminiapp.localcloud.fcapi;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The invocation log keeps the last 500 invocations of known callers, bounded in size too, keeps requests refused
 * before authentication apart and short, and lets a reader wait, bounded, for newer ones.
 */
class InvocationLogTest {

    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private static void record(InvocationLog log, String requestId) {
        log.record(Instant.parse("2026-11-26T00:00:00Z"), requestId, "svc", "db", "put", 200, null, 3, List.of());
    }

    private static List<Long> seqs(InvocationLog.Page page) {
        return page.entries.stream().map(e -> e.seq).collect(Collectors.toList());
    }

    @Test
    void aReaderGetsOnlyTheEntriesNewerThanItsSequenceNumber() throws Exception {
        InvocationLog log = new InvocationLog();
        for (int i = 1; i <= 3; i++) {
            record(log, "r" + i);
        }
        InvocationLog.Page page = log.after(1, Duration.ZERO);
        assertThat(seqs(page)).containsExactly(2L, 3L);
        assertThat(page.entries.get(0).requestId).isEqualTo("r2");
        assertThat(page.last).isEqualTo(3);
        assertThat(log.after(3, Duration.ZERO).entries).isEmpty();
    }

    @Test
    void newerEntriesAnswerAtOnceWhateverTheWait() throws Exception {
        InvocationLog log = new InvocationLog();
        record(log, "r1");
        long started = System.nanoTime();
        assertThat(seqs(log.after(0, Duration.ofSeconds(25)))).containsExactly(1L);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void withNothingNewerTheReaderWaitsTheTimeItAskedAndGetsNone() throws Exception {
        InvocationLog log = new InvocationLog();
        record(log, "r1");
        long started = System.nanoTime();
        InvocationLog.Page page = log.after(1, Duration.ofMillis(300));
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        assertThat(page.entries).isEmpty();
        assertThat(page.last).isEqualTo(1);
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aWaitingReaderIsWokenByTheNextInvocation() throws Exception {
        InvocationLog log = new InvocationLog();
        Future<InvocationLog.Page> waiting = pool.submit(() -> log.after(0, Duration.ofSeconds(20)));
        record(log, "r1");
        InvocationLog.Page page = waiting.get(10, TimeUnit.SECONDS);
        assertThat(seqs(page)).containsExactly(1L);
        assertThat(page.entries.get(0).requestId).isEqualTo("r1");
    }

    @Test
    void itKeepsExactly500AndDropsTheOldestPastThem() throws Exception {
        InvocationLog log = new InvocationLog();
        for (int i = 1; i <= 500; i++) {
            record(log, "r" + i);
        }
        InvocationLog.Page full = log.after(0, Duration.ZERO);
        assertThat(full.entries).hasSize(500);
        assertThat(full.entries.get(0).seq).isEqualTo(1);
        record(log, "r501");
        InvocationLog.Page over = log.after(0, Duration.ZERO);
        assertThat(over.entries).hasSize(InvocationLog.CAPACITY).hasSize(500);
        assertThat(over.entries.get(0).seq).isEqualTo(2);
        assertThat(over.entries.get(499).requestId).isEqualTo("r501");
        assertThat(over.last).isEqualTo(501);
    }

    @Test
    void aReaderAheadOfTheLogReadsFromTheStart() throws Exception {
        InvocationLog log = new InvocationLog();
        record(log, "r1");
        record(log, "r2");
        assertThat(seqs(log.after(40, Duration.ofSeconds(20)))).containsExactly(1L, 2L);
    }

    @Test
    void anEntryAsJsonHasEveryFieldOfTheInterface() throws Exception {
        InvocationLog log = new InvocationLog();
        log.record(Instant.parse("2026-11-26T01:02:03Z"), "rid", "svc", "db", "get", 200, "UNAUTHENTICATED", 12,
                List.of("line 1", "line 2"));
        assertThat(log.afterAsJson(0, Duration.ZERO, new com.fasterxml.jackson.databind.ObjectMapper()).toString())
                .isEqualTo("{\"invocations\":[{\"seq\":1,\"time\":\"2026-11-26T01:02:03Z\",\"requestId\":\"rid\","
                        + "\"service\":\"svc\",\"function\":\"db\",\"op\":\"get\",\"status\":200,"
                        + "\"error\":\"UNAUTHENTICATED\",\"durationMs\":12,\"unauthenticated\":false,"
                        + "\"logs\":[\"line 1\",\"line 2\"]}],"
                        + "\"last\":1}");
    }

    @Test
    void theOpIsTheEventsTopLevelOpElseItsActionElseLoginForAnAuthCode() {
        assertThat(Invocation.opOf(bytes("{\"sid\":\"s\",\"op\":\"put\",\"obj\":{\"op\":\"x\"}}"))).isEqualTo("put");
        assertThat(Invocation.opOf(bytes("{\"obj\":{\"op\":\"nested\"},\"op\":\"list\"}"))).isEqualTo("list");
        assertThat(Invocation.opOf(bytes("{\"action\":\"refresh\",\"sessionId\":\"s\"}"))).isEqualTo("refresh");
        assertThat(Invocation.opOf(bytes("{\"authCode\":\"alice:1\"}"))).isEqualTo("login");
        assertThat(Invocation.opOf(bytes("{\"sid\":\"s\"}"))).isNull();
        assertThat(Invocation.opOf(bytes("not json"))).isNull();
        assertThat(Invocation.opOf(bytes("[\"op\"]"))).isNull();
        assertThat(Invocation.opOf(bytes("{\"op\":7}"))).isNull();
    }

    @Test
    void anAppFunctionsEventIsACallWhateverItsInputHolds() {
        assertThat(Invocation.opOf(bytes("{\"sid\":\"s\",\"input\":{\"op\":\"put\",\"action\":\"x\"}}")))
                .isEqualTo("call");
        assertThat(Invocation.opOf(bytes("{\"sid\":\"s\",\"input\":null}"))).isEqualTo("call");
        assertThat(Invocation.opOf(bytes("{\"input\":7,\"op\":\"get\"}"))).isEqualTo("get");
    }

    @Test
    void anOpThatIsNoNameIsNotShownSoNoValueReachesTheLog() {
        assertThat(Invocation.opOf(bytes("{\"op\":\"<img src=x onerror=alert(1)>\"}"))).isNull();
        assertThat(Invocation.opOf(bytes("{\"op\":\"" + "a".repeat(41) + "\"}"))).isNull();
        assertThat(Invocation.opOf(bytes("{\"op\":\"" + "a".repeat(40) + "\"}"))).isEqualTo("a".repeat(40));
        assertThat(Invocation.opOf(bytes("{\"action\":\"secret value with spaces\"}"))).isNull();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void refused(InvocationLog log, String requestId, String function) {
        log.record(Instant.parse("2026-11-26T00:00:00Z"), requestId, "svc", function, "put", 403, "AccessDenied", 1,
                List.of("a line"), true);
    }

    @Test
    void requestsRefusedBeforeAuthenticationNeverPushOutTheOthersAndOnlyTheLast100AreKept() throws Exception {
        InvocationLog log = new InvocationLog();
        record(log, "real-1");
        record(log, "real-2");
        for (int i = 0; i < 1000; i++) {
            refused(log, "noise-" + i, "f");
        }
        record(log, "real-3");
        List<InvocationLog.Entry> kept = log.after(0, Duration.ZERO).entries;
        List<String> ids = kept.stream().map(e -> e.requestId).collect(Collectors.toList());
        assertThat(ids).contains("real-1", "real-2", "real-3").doesNotContain("noise-899").contains("noise-900",
                "noise-999");
        assertThat(kept).hasSize(3 + InvocationLog.UNAUTHENTICATED_CAPACITY);
        assertThat(seqs(log.after(0, Duration.ZERO))).isSorted();
    }

    @Test
    void aRefusedRequestIsKeptShortWithoutWhatItClaimsToBe() throws Exception {
        InvocationLog log = new InvocationLog();
        refused(log, "noise", "f");
        InvocationLog.Entry entry = log.after(0, Duration.ZERO).entries.get(0);
        assertThat(entry.op).isNull();
        assertThat(entry.logs).isEmpty();
        assertThat(entry.unauthenticated).isTrue();
        assertThat(entry.error).isEqualTo("AccessDenied");
    }

    @Test
    void namesAreCutTo128CharactersAndMarkedAsCut() throws Exception {
        InvocationLog log = new InvocationLog();
        String huge = "f".repeat(290 * 1024);
        log.record(Instant.now(), "r", huge, huge, null, 404, "FunctionNotFound", 1, List.of());
        InvocationLog.Entry entry = log.after(0, Duration.ZERO).entries.get(0);
        assertThat(entry.function).hasSize(InvocationLog.MAX_NAME + 1).startsWith("fff").endsWith("…");
        assertThat(entry.service).isEqualTo(entry.function);
        assertThat(InvocationLog.cut("f".repeat(128))).isEqualTo("f".repeat(128));
        assertThat(InvocationLog.cut(null)).isNull();
    }

    @Test
    void pastItsSizeTheOldestEntriesGoEvenUnder500() throws Exception {
        InvocationLog log = new InvocationLog(InvocationLog.CAPACITY, 100_000);
        List<String> lines = java.util.Collections.nCopies(8, "x".repeat(2000));
        for (int i = 0; i < 100; i++) {
            log.record(Instant.now(), "r" + i, "svc", "db", "get", 200, null, 1, lines);
        }
        InvocationLog.Page page = log.after(0, Duration.ZERO);
        assertThat(page.entries.size()).isBetween(2, 7);
        assertThat(page.entries.get(page.entries.size() - 1).requestId).isEqualTo("r99");
        assertThat(page.toJson(new com.fasterxml.jackson.databind.ObjectMapper()).toString().length())
                .isLessThan(110_000);
    }
}
