package com.fcminiapp.localcloud.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.template.FunctionSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rebuilt jar is served from a new instance on the next call (new loader, handler and initializer), as FC does
 * after a deploy; a jar still being written leaves the old build serving; calls during a swap all answer; the old
 * instance's threads are stopped, after its PreStop handler ran (once, bounded by its Timeout, a failure logged).
 */
class FunctionReloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PRESTOP_TIMEOUT = 1;

    @TempDir
    static Path builds;
    static byte[] v1;
    static byte[] v2;
    static byte[] v3;

    @TempDir
    Path dir;
    Path jar;
    final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeAll
    static void buildJars() throws Exception {
        v1 = Files.readAllBytes(TestFunctionJar.build(builds.resolve("v1"), "1"));
        v2 = Files.readAllBytes(TestFunctionJar.build(builds.resolve("v2"), "2"));
        v3 = Files.readAllBytes(TestFunctionJar.build(builds.resolve("v3"), "3"));
    }

    private FunctionHost host() throws Exception {
        return host(null, Map.of("GREETING", "hi"));
    }

    /** The echo function with {@code preStop} as its PreStop (none when null), Timeout {@link #PRESTOP_TIMEOUT}. */
    private FunctionHost host(String preStop, Map<String, String> env) throws Exception {
        jar = dir.resolve("echo.jar");
        Files.write(jar, v1);
        FunctionSpec spec = new FunctionSpec("echo", "demo.Echo::handleRequest", "demo.Echo::initialize", jar,
                Map.of(), false, 3, 128).withPreStop(preStop, PRESTOP_TIMEOUT);
        return new FunctionHost(spec, env, getClass().getClassLoader(), dir.resolve("loaded"),
                new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    /** Rewrites the jar in place (same file, truncated), as a build tool may, with a modification time of its own. */
    private void rebuild(byte[] bytes, int second) throws Exception {
        Files.write(jar, bytes, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L + second * 1000L));
    }

    private static JsonNode call(FunctionHost host, String event) throws Exception {
        FunctionHost.Outcome outcome = host.invoke(event.getBytes(StandardCharsets.UTF_8), context());
        assertThat(outcome.errorType).as(outcome.errorMessage).isNull();
        return JSON.readTree(outcome.output);
    }

    private static LocalContext context() {
        return new LocalContext("req-1", CredentialRegistry.inMemory().createPermanent("LTAI"),
                new FunctionSpec("echo", "demo.Echo::handleRequest", null, Path.of("x"), Map.of(), false, 3, 128),
                "svc", "LATEST", new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] bytes) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    @Test
    void theNextCallAfterARebuildRunsTheNewBuildOnANewInstanceWhoseInitializerRan() throws Exception {
        try (FunctionHost host = host()) {
            assertThat(call(host, "a").get("build").asText()).isEqualTo("1");
            call(host, "a");
            FunctionHost.Status before = host.status();
            assertThat(before.build.sha256).isEqualTo(sha256(v1));
            assertThat(before.build.size).isEqualTo(v1.length);
            assertThat(before.initialized).isTrue();

            rebuild(v2, 1);
            JsonNode answer = call(host, "a");

            assertThat(answer.get("build").asText()).isEqualTo("2");
            // a new handler object whose initializer ran once: the old one had run it once too, on its own instance
            assertThat(answer.get("inits").asInt()).isEqualTo(1);
            FunctionHost.Status after = host.status();
            assertThat(after.build.sha256).isEqualTo(sha256(v2));
            assertThat(after.build.modified.toEpochMilli()).isEqualTo(1_700_000_001_000L);
            assertThat(after.loadedAt).isAfterOrEqualTo(before.loadedAt);
            assertThat(after.initialized).isTrue();
        }
    }

    @Test
    void aJarTouchedWithTheSameBytesKeepsItsInstance() throws Exception {
        try (FunctionHost host = host()) {
            call(host, "a");
            FunctionHost.Status before = host.status();
            rebuild(v1, 2);
            assertThat(call(host, "a").get("build").asText()).isEqualTo("1");
            assertThat(host.status().loadedAt).isEqualTo(before.loadedAt);
        }
    }

    @Test
    void aJarStillBeingWrittenLeavesTheOldBuildServingUntilItIsComplete() throws Exception {
        try (FunctionHost host = host()) {
            call(host, "a");
            rebuild(java.util.Arrays.copyOf(v2, v2.length / 2), 3);
            assertThat(call(host, "a").get("build").asText()).isEqualTo("1");
            assertThat(host.status().build.sha256).isEqualTo(sha256(v1));
            assertThat(console.toString(StandardCharsets.UTF_8)).contains("function echo keeps build "
                    + sha256(v1).substring(0, 12) + ": " + jar + " is not a complete jar");

            rebuild(v2, 4);
            assertThat(call(host, "a").get("build").asText()).isEqualTo("2");
        }
    }

    @Test
    void aHalfWrittenJarOnTheFirstCallIsAnInitializationErrorAndTheNextCallLoadsTheCompleteOne() throws Exception {
        try (FunctionHost host = host()) {
            rebuild(java.util.Arrays.copyOf(v2, v2.length / 2), 5);
            FunctionHost.Outcome failed = host.invoke(new byte[0], context());
            assertThat(failed.errorType).isEqualTo("UnhandledInitializationError");
            assertThat(failed.errorMessage).contains("is not a complete jar").doesNotContain("\tat ");

            rebuild(v2, 6);
            assertThat(call(host, "a").get("build").asText()).isEqualTo("2");
        }
    }

    @Test
    void everyCallDuringRepeatedSwapsAnswersAndTheLastBuildServesAfterwards() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try (FunctionHost host = host()) {
            // the first build is loaded before the swaps begin: a jar half written on the very first call is an
            // initialization error (as on FC), which the half-written-first-call test pins on its own
            assertThat(call(host, "a").get("build").asText()).isEqualTo("1");
            List<Future<List<String>>> callers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                callers.add(pool.submit(() -> {
                    List<String> seen = new ArrayList<>();
                    for (int n = 0; n < 40; n++) {
                        seen.add(call(host, "a").get("build").asText());
                    }
                    return seen;
                }));
            }
            byte[][] order = {v2, v3, v1, v2, v3};
            for (int i = 0; i < order.length; i++) {
                rebuild(order[i], 10 + i);
                call(host, "a");
            }
            for (Future<List<String>> caller : callers) {
                assertThat(caller.get(60, TimeUnit.SECONDS)).hasSize(40).allMatch(b -> b.matches("[123]"));
            }
            assertThat(call(host, "a").get("build").asText()).isEqualTo("3");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theRetiredInstancesThreadsAreStoppedAndItsJarCopyDeleted() throws Exception {
        try (FunctionHost host = host()) {
            call(host, "spawn");
            Thread worker = thread("echo-worker-1").orElseThrow();
            assertThat(copies()).hasSize(1);
            Path loadedCopy = copies().get(0);

            rebuild(v2, 20);
            assertThat(call(host, "a").get("build").asText()).isEqualTo("2");

            worker.join(10_000);
            assertThat(worker.isAlive()).isFalse();
            // the retire thread deletes the copy after the worker ended
            awaitRetire();
            assertThat(Files.exists(loadedCopy)).isFalse();
            assertThat(copies()).hasSize(1);
            assertThat(console.toString(StandardCharsets.UTF_8)).contains("function echo reloaded: build "
                    + sha256(v2).substring(0, 12) + " (was " + sha256(v1).substring(0, 12) + ")");
        }
    }

    @Test
    void aThreadStillRunningWhenItsInstanceRetiresIsInterruptedOnceItSleeps() throws Exception {
        assertARebuildEndsTheThreadItStarted("spawn-busy", "echo-worker-1", 25);
    }

    @Test
    void theOssSdksReaperOfTheRetiredInstanceIsStoppedThroughItsShutdownThoughItIgnoresInterrupts() throws Exception {
        assertARebuildEndsTheThreadItStarted("reaper", "idle_connection_reaper", 30);
    }

    /** {@code event} makes build 1 start {@code threadName}; a rebuild (build 2 serving) must end that thread. */
    private void assertARebuildEndsTheThreadItStarted(String event, String threadName, int second) throws Exception {
        try (FunctionHost host = host()) {
            call(host, event);
            Thread started = thread(threadName).orElseThrow();

            rebuild(v2, second);
            assertThat(call(host, "a").get("build").asText()).isEqualTo("2");

            started.join(10_000);
            assertThat(started.isAlive()).isFalse();
        }
    }

    @Test
    void theRetiredInstancesPreStopRunsOnceOnItsHandlerWithTheFunctionsLoaderAndALifecycleContext() throws Exception {
        Path record = dir.resolve("prestop.txt");
        try (FunctionHost host = host("demo.Echo::preStop", Map.of("PRESTOP_RECORD", record.toString()))) {
            call(host, "a");
            rebuild(v2, 40);
            assertThat(call(host, "a").get("build").asText()).isEqualTo("2");
            awaitRetire();

            assertThat(Files.readAllLines(record)).singleElement().asString()
                    .startsWith("build=1 inits=1 ownLoader=true function=echo request=")
                    .doesNotEndWith("request=req-1");
        }
        assertThat(Files.readAllLines(record)).hasSize(2)
                .last().asString().startsWith("build=2 inits=1 ownLoader=true function=echo request=");
    }

    @Test
    void closingTheHostRunsThePreStopOfTheServingInstanceOnce() throws Exception {
        Path record = dir.resolve("prestop.txt");
        FunctionHost host = host("demo.Echo::preStop", Map.of("PRESTOP_RECORD", record.toString()));
        call(host, "a");

        host.close();
        host.close();

        assertThat(Files.readAllLines(record)).singleElement().asString().startsWith("build=1 inits=1 ownLoader=true");
        assertThat(copies()).isEmpty();
    }

    @Test
    void aPreStopThatThrowsIsOneConsoleLineAndTheRetireStillClosesTheLoaderAndDeletesTheCopy() throws Exception {
        String console = retireWithPreStop("throw", 50);

        assertThat(console).containsOnlyOnce("function echo: preStop demo.Echo::preStop failed (IllegalStateException);"
                + " stopping the instance anyway");
    }

    @Test
    void aPreStopPastItsTimeoutIsCutShortAndTheRetireGoesOn() throws Exception {
        String console = retireWithPreStop("block", 60);

        assertThat(console).containsOnlyOnce(
                "function echo: preStop demo.Echo::preStop did not end within 1 s; stopping the instance anyway");
        // the blocked PreStop ran with the function's loader: the retire interrupted it like any function thread
        Optional<Thread> blocked = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("fc-echo-prestop")).findFirst();
        if (blocked.isPresent()) {
            blocked.get().join(10_000);
            assertThat(blocked.get().isAlive()).isFalse();
        }
    }

    /**
     * Retires build 1 of a function whose PreStop is told to {@code mode} (throw, block) and checks the retire went
     * on: the PreStop ran once, the function's worker was stopped, the loaded copy deleted. Returns the console
     * output of the retire.
     */
    private String retireWithPreStop(String mode, int second) throws Exception {
        Path record = dir.resolve("prestop.txt");
        try (FunctionHost host = host("demo.Echo::preStop",
                Map.of("PRESTOP_RECORD", record.toString(), "PRESTOP", mode))) {
            call(host, "spawn");
            Thread worker = thread("echo-worker-1").orElseThrow();
            Path loadedCopy = copies().get(0);
            rebuild(v2, second);
            call(host, "a");
            awaitRetire();

            assertThat(Files.readAllLines(record)).hasSize(1);
            assertThat(worker.isAlive()).as("the function's worker").isFalse();
            assertThat(Files.exists(loadedCopy)).as("the retired build's copy").isFalse();
            // read before the host closes: closing runs the new build's PreStop too
            return console.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aFunctionWithoutPreStopIsRetiredAsBeforeWithoutACallToIt() throws Exception {
        Path record = dir.resolve("prestop.txt");
        try (FunctionHost host = host(null, Map.of("PRESTOP_RECORD", record.toString()))) {
            call(host, "spawn");
            Thread worker = thread("echo-worker-1").orElseThrow();
            Path loadedCopy = copies().get(0);
            rebuild(v2, 70);
            call(host, "a");
            awaitRetire();

            assertThat(worker.isAlive()).isFalse();
            assertThat(Files.exists(loadedCopy)).isFalse();
        }
        assertThat(record).doesNotExist();
    }

    /** Waits (bounded) for local-cloud's retire thread, found by name, to finish the retired instance's shutdown. */
    private static void awaitRetire() throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("fc-echo-retire")) {
                t.join(10_000);
                assertThat(t.isAlive()).as("retire still running").isFalse();
            }
        }
    }

    private List<Path> copies() throws Exception {
        try (var files = Files.list(dir.resolve("loaded"))) {
            return files.collect(java.util.stream.Collectors.toList());
        }
    }

    /**
     * A live thread of that name started by a function's code: other test classes in this JVM run the real OSS SDK
     * from the test class path, whose own {@code idle_connection_reaper} must not be mistaken for the function's.
     */
    private static Optional<Thread> thread(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name) && startedByAFunction(t))
                .findFirst();
    }

    private static boolean startedByAFunction(Thread t) {
        return t.getClass().getClassLoader() instanceof FunctionClassLoader
                || t.getContextClassLoader() instanceof FunctionClassLoader;
    }
}
