package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.localcloud.LocalCloud;
import com.fcminiapp.localcloud.Options;
import com.fcminiapp.localcloud.testing.Fc2Signing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real db function rebuilt under a running local-cloud: the next call runs the new jar on a new instance
 * (initialized again), the rows written before are still there, and {@code /_admin/functions} names the new build;
 * the retired instance's PreStop closed its clients, so none of its threads is left and its loader can go. The
 * template and jars are copies, so the build's own jars are never rewritten.
 */
class FunctionReloadIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void aRebuiltDbFunctionServesTheNextCallWithTheDataKept() throws Exception {
        Path dbJar = copyTemplateAndJars();
        Path template = template();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (LocalCloud cloud = LocalCloud.start(Options.parse("--port", "0", "--data", dir.resolve("data").toString(),
                "--template", template.toString()), null, new PrintStream(console, true, StandardCharsets.UTF_8))) {
            JsonNode ready = cloud.readyInfo();
            JsonNode alice = login(ready, "alice:reload-it");
            JsonNode put = invokeDb(ready, alice, "\"op\":\"put\",\"obj\":{\"id\":\"t1\",\"title\":\"milk\"}");
            assertThat(put.path("data").path("_version").asInt()).as("put %s", put).isEqualTo(1);
            JsonNode before = db(functions(ready));
            assertThat(before.path("build").path("sha256").asText()).isEqualTo(sha256(dbJar));

            rebuildInPlace(dbJar);
            JsonNode got = invokeDb(ready, alice, "\"op\":\"get\",\"id\":\"t1\"");

            assertThat(got.path("data").path("title").asText()).as("get %s", got).isEqualTo("milk");
            assertThat(got.path("data").path("_version").asInt()).isEqualTo(1);
            JsonNode after = db(functions(ready));
            assertThat(after.path("build").path("sha256").asText()).isEqualTo(sha256(dbJar))
                    .isNotEqualTo(before.path("build").path("sha256").asText());
            assertThat(Instant.parse(after.path("loadedAt").asText()))
                    .isAfter(Instant.parse(before.path("loadedAt").asText()));
            assertThat(after.path("initialized").asBoolean()).isTrue();
            assertThat(console.toString(StandardCharsets.UTF_8)).contains("function db reloaded: build "
                    + sha256(dbJar).substring(0, 12));
        }
    }

    /**
     * Ten reloads of the real db function: no thread of a retired instance is left (its PreStop shut its clients
     * down), and each retired class loader becomes unreachable. The deploy module's failsafe JVM clears soft
     * references at every GC ({@code -XX:SoftRefLRUPolicyMSPerMB=0}): some JDK cache holds a retired function's
     * objects only softly, which a JVM frees before it runs out of memory but not at once.
     */
    @Test
    void noThreadOrClassLoaderOfARetiredDbInstanceOutlivesItsReload() throws Exception {
        Path dbJar = copyTemplateAndJars();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (LocalCloud cloud = LocalCloud.start(Options.parse("--port", "0", "--data", dir.resolve("data").toString(),
                "--template", template().toString()), null, new PrintStream(console, true, StandardCharsets.UTF_8))) {
            JsonNode ready = cloud.readyInfo();
            JsonNode alice = login(ready, "alice:leak-it");
            // a put and a file listing: the db instance has built and used its Tablestore and OSS clients
            invokeDb(ready, alice, "\"op\":\"put\",\"obj\":{\"id\":\"t1\"}");
            invokeDb(ready, alice, "\"op\":\"listFiles\"");
            Measure before = Measure.now();
            List<WeakReference<ClassLoader>> retired = new ArrayList<>();

            for (int reload = 1; reload <= RELOADS; reload++) {
                List<WeakReference<ClassLoader>> serving = dbLoaders();
                assertThat(serving).as("db loaders with live threads (before reload %s): %s", reload,
                        threadsOf(serving)).hasSize(1);
                retired.addAll(serving);
                rebuildInPlace(dbJar, reload);
                JsonNode got = invokeDb(ready, alice, "\"op\":\"listFiles\"");
                assertThat(got.has("data")).as("after reload %s: %s", reload, got).isTrue();
                awaitRetire("db");
            }

            assertThat(threadsOf(retired)).as("threads of retired db instances").isEmpty();
            long collected = collect(retired);
            Measure after = Measure.now();
            System.out.println("FunctionReloadIT: " + RELOADS + " reloads of db: threads " + before.threads + " -> "
                    + after.threads + ", loaded classes " + before.classes + " -> " + after.classes + ", metaspace "
                    + before.metaspaceKb + " -> " + after.metaspaceKb + " KiB, retired loaders collected "
                    + collected + "/" + retired.size());
            assertThat(collected).as("retired db loaders no longer reachable").isEqualTo(RELOADS);
        }
    }

    /** Runs GCs (and the finalizers they queue) until every loader is collected, at most 20 rounds. */
    private static long collect(List<WeakReference<ClassLoader>> loaders) {
        for (int round = 0; round < 20 && loaders.stream().anyMatch(l -> l.get() != null); round++) {
            System.gc();
            System.runFinalization();
        }
        return loaders.stream().filter(l -> l.get() == null).count();
    }

    private static final int RELOADS = 10;

    /** JVM-wide counts after a full GC: live threads, loaded classes, metaspace used. */
    private static final class Measure {
        final int threads;
        final int classes;
        final long metaspaceKb;

        private Measure(int threads, int classes, long metaspaceKb) {
            this.threads = threads;
            this.classes = classes;
            this.metaspaceKb = metaspaceKb;
        }

        static Measure now() {
            System.gc();
            long metaspace = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getName().equals("Metaspace")) {
                    metaspace = pool.getUsage().getUsed() / 1024;
                }
            }
            return new Measure(Thread.activeCount(), ManagementFactory.getClassLoadingMXBean().getLoadedClassCount(),
                    metaspace);
        }
    }

    /** The loaders of the db function's instances that have a live thread (by context or by class), held weakly. */
    private static List<WeakReference<ClassLoader>> dbLoaders() {
        return Thread.getAllStackTraces().keySet().stream()
                .flatMap(t -> Stream.of(t.getContextClassLoader(), t.getClass().getClassLoader()))
                .filter(l -> l != null && "fc-db".equals(l.getName()))
                .distinct()
                .map(WeakReference::new)
                .collect(Collectors.toList());
    }

    /** The live threads whose context loader or class loader is one of {@code loaders}. */
    private static List<String> threadsOf(List<WeakReference<ClassLoader>> loaders) {
        Set<ClassLoader> held = loaders.stream().map(WeakReference::get).filter(l -> l != null)
                .collect(Collectors.toSet());
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> held.contains(t.getContextClassLoader()) || held.contains(t.getClass().getClassLoader()))
                .map(t -> t.getName() + " " + t.getState())
                .collect(Collectors.toList());
    }

    /** Waits (bounded) for local-cloud's thread that shuts a retired instance down, found by name. */
    private static void awaitRetire(String function) throws InterruptedException {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("fc-" + function + "-retire")) {
                t.join(30_000);
                assertThat(t.isAlive()).as("retire of %s still running", function).isFalse();
            }
        }
    }

    private Path template() {
        return dir.resolve("template.yml");
    }

    /** Copies template.yml and both jars under the test's folder; returns the db jar's copy. */
    private Path copyTemplateAndJars() throws Exception {
        Files.copy(DeployFiles.root().resolve("template.yml"), template());
        for (String fn : new String[] {"session-function", "db-function"}) {
            Path jar = Files.createDirectories(dir.resolve(fn).resolve("target")).resolve(fn + ".jar");
            Files.copy(DeployFiles.root().resolve(fn).resolve("target").resolve(fn + ".jar"), jar);
        }
        return dir.resolve("db-function/target/db-function.jar");
    }

    private static void rebuildInPlace(Path jar) throws Exception {
        rebuildInPlace(jar, 2);
    }

    /** The same classes plus a resource naming build {@code build}, written over the jar in place as builds may. */
    private static void rebuildInPlace(Path jar, int build) throws Exception {
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        try (ZipFile in = new ZipFile(jar.toFile()); ZipOutputStream out = new ZipOutputStream(rebuilt)) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements(); ) {
                ZipEntry entry = e.nextElement();
                out.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream bytes = in.getInputStream(entry)) {
                    bytes.transferTo(out);
                }
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("rebuilt-" + build + ".txt"));
            out.closeEntry();
        }
        Files.write(jar, rebuilt.toByteArray(), StandardOpenOption.TRUNCATE_EXISTING);
    }

    private static JsonNode db(JsonNode functions) {
        for (JsonNode f : functions.path("functions")) {
            if (f.path("function").asText().equals("db")) {
                return f;
            }
        }
        throw new AssertionError("no db function in " + functions);
    }

    private static JsonNode functions(JsonNode ready) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                URI.create(ready.path("adminUrl").asText() + "/_admin/functions")).timeout(Duration.ofSeconds(30))
                .header("X-Local-Cloud-Token", ready.path("adminToken").asText()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("functions %s", answer.body()).isEqualTo(200);
        return DeployFiles.JSON.readTree(answer.body());
    }

    private static JsonNode login(JsonNode ready, String authCode) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(ready.path("sessionUrl").asText()))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"authCode\":\"" + authCode + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("login %s", answer.body()).isEqualTo(200);
        return DeployFiles.JSON.readTree(answer.body());
    }

    private static JsonNode invokeDb(JsonNode ready, JsonNode session, String fields) throws Exception {
        JsonNode sts = session.path("sts");
        String path = "/2016-08-15/services/" + ready.path("serviceName").asText() + "/functions/"
                + ready.path("dbFunctionName").asText() + "/invocations";
        byte[] body = ("{\"sid\":\"" + session.path("sessionId").asText() + "\"," + fields + "}")
                .getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ready.path("endpoint").asText() + path))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        Fc2Signing.invokeHeaders(path, body, ready.path("accountId").asText(), sts.path("AccessKeyId").asText(),
                sts.path("AccessKeySecret").asText(), sts.path("SecurityToken").asText(), Instant.now())
                .forEach(request::header);
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("invoke %s", answer.body()).isEqualTo(200);
        return DeployFiles.JSON.readTree(answer.body());
    }

    private static String sha256(Path file) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
