package com.fcminiapp.localcloud.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * local-cloud in a child JVM on this test classpath, on loopback: started on a data folder, its READY line read
 * with a bounded wait, and ended with SIGKILL ({@link #kill}) or SIGTERM ({@link #stop}) — a crash, or a clean exit.
 */
public final class ChildLocalCloud implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long READY_SECONDS = 120;
    private static final long EXIT_SECONDS = 30;

    private final Process process;
    private final JsonNode ready;

    private ChildLocalCloud(Process process, JsonNode ready) {
        this.process = process;
        this.ready = ready;
    }

    /** What a local-cloud that ended on its own printed, and its exit status. */
    public static final class Exited {
        public final int status;
        public final String output;

        private Exited(int status, String output) {
            this.status = status;
            this.output = output;
        }
    }

    /** Starts local-cloud on {@code data} with the repository's template and returns once it printed READY. */
    public static ChildLocalCloud start(Path data, Path template) throws Exception {
        Process process = launch(data, template);
        CompletableFuture<JsonNode> ready = CompletableFuture.supplyAsync(() -> readReady(process));
        try {
            return new ChildLocalCloud(process, ready.get(READY_SECONDS, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly().waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * Runs local-cloud on {@code data} expecting it to end by itself (e.g. refused to start), with a bounded wait.
     */
    public static Exited runToExit(Path data, Path template) throws Exception {
        Process process = launch(data, template);
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read local-cloud's output", e);
            }
        });
        if (!process.waitFor(READY_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
            throw new IllegalStateException("local-cloud did not exit within " + READY_SECONDS + " s");
        }
        return new Exited(process.exitValue(), output.get(EXIT_SECONDS, TimeUnit.SECONDS));
    }

    private static Process launch(Path data, Path template) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "com.fcminiapp.localcloud.LocalCloud",
                "--port", "0", "--data", data.toString(), "--template", template.toString()));
        builder.redirectErrorStream(true);
        return builder.start();
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** Reads the output up to READY, then keeps draining it on the same thread so the child never blocks. */
    private static JsonNode readReady(Process process) {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("READY ")) {
                    JsonNode ready = JSON.readTree(line.substring("READY ".length()));
                    Thread drain = new Thread(() -> drain(out), "child-local-cloud-output");
                    drain.setDaemon(true);
                    drain.start();
                    return ready;
                }
            }
            throw new IllegalStateException("local-cloud exited before READY");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read local-cloud's output", e);
        }
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // the summary and any log lines are not under test
            }
        } catch (IOException ignored) {
            // the child is gone
        }
    }

    /** The READY line's JSON: endpoints, account key, stand-ins. */
    public JsonNode ready() {
        return ready;
    }

    public String standIn(String name) {
        return ready.path("standIns").path(name).asText();
    }

    /** SIGKILL on Linux: no shutdown hook, no close; only what is already in the files survives. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: the shutdown hook closes everything cleanly. */
    public void stop() throws InterruptedException {
        process.destroy();
        awaitExit();
    }

    private void awaitExit() throws InterruptedException {
        if (!process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("local-cloud did not exit within " + EXIT_SECONDS + " s");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
