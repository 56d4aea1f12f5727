package com.fcminiapp.localcloud.runtime;

import com.aliyun.fc.runtime.Context;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compiles a tiny FC function ({@code demo.Echo}) against fc-java-core and packs it as a jar. It answers an event
 * (or an HTTP trigger's body) with what it sees and its build mark, {@code env:NAME} with
 * {@code {"value": <its variable NAME>}}, {@code environment} with its whole environment and the JVM's system
 * properties as text, {@code fetch:URL} with the status and body of a plain GET of URL, {@code credentials} with
 * its context's execution key ({@code accessKeyId}, {@code accessKeySecret}, {@code securityToken}); {@code spawn} starts a
 * thread {@code echo-worker-<mark>} that sleeps until interrupted, {@code spawn-busy} one that first runs for half a
 * second (it is running, not sleeping, when a rebuild retires its instance). Its {@code preStop} appends a line (build mark, initializer runs, whether its context loader
 * is the function's, the context's function name and request id) to the file named by {@code PRESTOP_RECORD}, then
 * throws when {@code PRESTOP} is {@code throw}, or blocks until interrupted when it is {@code block}.
 */
public final class TestFunctionJar {

    static final String SOURCE = String.join("\n",
            "package demo;",
            "public class Echo implements com.aliyun.fc.runtime.StreamRequestHandler, com.aliyun.fc.runtime.FunctionInitializer,",
            "    com.aliyun.fc.runtime.HttpRequestHandler, com.aliyun.fc.runtime.PreStopHandler {",
            "  private final java.util.Map<String, String> env;",
            "  private final java.util.concurrent.atomic.AtomicInteger inits = new java.util.concurrent.atomic.AtomicInteger();",
            "  public Echo(java.util.Map<String, String> env) { this.env = env; }",
            "  public void initialize(com.aliyun.fc.runtime.Context c) { inits.incrementAndGet(); }",
            "  public void preStop(com.aliyun.fc.runtime.Context c) throws java.io.IOException {",
            "    String line = \"build=BUILD_MARK inits=\" + inits.get() + \" ownLoader=\"",
            "        + (Thread.currentThread().getContextClassLoader() == Echo.class.getClassLoader())",
            "        + \" function=\" + c.getFunctionParam().getFunctionName() + \" request=\" + c.getRequestId() + \"\\n\";",
            "    java.nio.file.Files.writeString(java.nio.file.Path.of(env.get(\"PRESTOP_RECORD\")), line,",
            "        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);",
            "    if (\"throw\".equals(env.get(\"PRESTOP\"))) throw new IllegalStateException(\"preStop asked to fail\");",
            // a PreStop that overruns its Timeout: the fixture's own stuck thread, which the retire interrupts
            "    if (\"block\".equals(env.get(\"PRESTOP\"))) {",
            "      try { Thread.sleep(Long.MAX_VALUE); } catch (InterruptedException stopped) { }",
            "    }",
            "  }",
            "  public void handleRequest(java.io.InputStream in, java.io.OutputStream out, com.aliyun.fc.runtime.Context c) throws java.io.IOException {",
            "    out.write(answer(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), c));",
            "  }",
            "  public void handleRequest(javax.servlet.http.HttpServletRequest request, javax.servlet.http.HttpServletResponse response,",
            "      com.aliyun.fc.runtime.Context c) throws java.io.IOException {",
            "    byte[] body = answer(new String(request.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), c);",
            "    response.setStatus(200);",
            "    response.setContentType(\"application/json\");",
            "    response.getOutputStream().write(body);",
            "  }",
            "  private byte[] answer(String event, com.aliyun.fc.runtime.Context c) {",
            "    if (event.equals(\"throw\")) throw new IllegalStateException(\"asked to fail\");",
            "    if (event.equals(\"spawn\")) { spawn(0); return \"{}\".getBytes(java.nio.charset.StandardCharsets.UTF_8); }",
            "    if (event.equals(\"spawn-busy\")) { spawn(500); return \"{}\".getBytes(java.nio.charset.StandardCharsets.UTF_8); }",
            "    if (event.equals(\"reaper\")) { com.aliyun.oss.common.comm.IdleConnectionReaper.begin(); return \"{}\".getBytes(java.nio.charset.StandardCharsets.UTF_8); }",
            "    if (event.startsWith(\"fetch:\")) return fetch(event.substring(6));",
            // the execution key its context carries, as a function's SDK clients would sign with it
            "    if (event.equals(\"credentials\")) return (\"{\\\"accessKeyId\\\":\\\"\" + c.getExecutionCredentials().getAccessKeyId()",
            "        + \"\\\",\\\"accessKeySecret\\\":\\\"\" + c.getExecutionCredentials().getAccessKeySecret()",
            "        + \"\\\",\\\"securityToken\\\":\\\"\" + c.getExecutionCredentials().getSecurityToken() + \"\\\"}\")",
            "        .getBytes(java.nio.charset.StandardCharsets.UTF_8);",
            "    if (event.equals(\"environment\")) return (System.getenv() + \"\\n\" + env + \"\\n\" + System.getProperties())",
            "        .getBytes(java.nio.charset.StandardCharsets.UTF_8);",
            "    if (event.startsWith(\"env:\")) return (\"{\\\"value\\\":\\\"\" + env.get(event.substring(4)) + \"\\\"}\")",
            "        .getBytes(java.nio.charset.StandardCharsets.UTF_8);",
            "    String json = \"{\\\"build\\\":\\\"BUILD_MARK\\\",\\\"greeting\\\":\\\"\" + env.get(\"GREETING\") + \"\\\",\\\"inits\\\":\" + inits.get()",
            "        + \",\\\"eventLength\\\":\" + event.length() + \",\\\"function\\\":\\\"\" + c.getFunctionParam().getFunctionName()",
            "        + \"\\\",\\\"seesJackson\\\":\" + visible(\"com.fasterxml.jackson.databind.ObjectMapper\")",
            "        + \",\\\"seesLocalCloud\\\":\" + visible(\"com.fcminiapp.localcloud.LocalCloud\")",
            "        + \",\\\"hasKey\\\":\" + (c.getExecutionCredentials().getAccessKeyId() != null) + \"}\";",
            "    return json.getBytes(java.nio.charset.StandardCharsets.UTF_8);",
            "  }",
            // the two sleeps below are the fixture function's own background threads, not waits of a test: one
            // parked until interrupted on retire, one looping like the OSS SDK's IdleConnectionReaper (which
            // sleeps and ignores interrupts, so only its shutdown() ends it)
            "  static void spawn(long busyMillis) {",
            "    Thread t = new Thread(() -> {",
            "      long busyUntil = System.nanoTime() + busyMillis * 1_000_000L;",
            "      while (System.nanoTime() < busyUntil) { Thread.onSpinWait(); }",
            "      try { Thread.sleep(Long.MAX_VALUE); } catch (InterruptedException stopped) { }",
            "    }, \"echo-worker-BUILD_MARK\");",
            "    t.setDaemon(true);",
            "    t.start();",
            "  }",
            // what function code can do to reach local-cloud's admin API: a plain GET, without the admin token
            "  static byte[] fetch(String url) {",
            "    try {",
            "      java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL(url).openConnection();",
            "      c.setConnectTimeout(10000);",
            "      c.setReadTimeout(30000);",
            "      int status = c.getResponseCode();",
            "      java.io.InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();",
            "      String body = in == null ? \"\" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);",
            "      return (status + \"\\n\" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8);",
            "    } catch (java.io.IOException e) {",
            "      return (\"failed \" + e).getBytes(java.nio.charset.StandardCharsets.UTF_8);",
            "    }",
            "  }",
            "  static boolean visible(String name) {",
            "    try { Class.forName(name); return true; } catch (ClassNotFoundException e) { return false; }",
            "  }",
            "}");

    /**
     * The contract of the OSS SDK's reaper under its name: a static thread that ignores interrupts and ends only
     * through the static {@code shutdown()}, as {@code com.aliyun.oss.common.comm.IdleConnectionReaper} does.
     */
    static final String REAPER_SOURCE = String.join("\n",
            "package com.aliyun.oss.common.comm;",
            "public final class IdleConnectionReaper extends Thread {",
            "  private static IdleConnectionReaper instance;",
            "  private volatile boolean shuttingDown;",
            "  private IdleConnectionReaper() { super(\"idle_connection_reaper\"); setDaemon(true); }",
            "  public static synchronized void begin() {",
            "    if (instance == null) { instance = new IdleConnectionReaper(); instance.start(); }",
            "  }",
            "  public static synchronized boolean shutdown() {",
            "    if (instance == null) return false;",
            "    instance.shuttingDown = true; instance.interrupt(); instance = null; return true;",
            "  }",
            "  public void run() {",
            "    while (!shuttingDown) {",
            "      try { Thread.sleep(60_000); } catch (InterruptedException ignored) { }",
            "    }",
            "  }",
            "}");

    private TestFunctionJar() {
    }

    /** Builds {@code echo.jar} in {@code dir}, build mark {@code 1}. */
    public static Path build(Path dir) throws IOException {
        return build(dir, "1");
    }

    /** Builds {@code echo.jar} in {@code dir}, answering with build mark {@code mark}. */
    public static Path build(Path dir, String mark) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/demo")).resolve("Echo.java");
        Files.writeString(src, SOURCE.replace("BUILD_MARK", mark), StandardCharsets.UTF_8);
        Path reaper = Files.createDirectories(dir.resolve("src/reaper")).resolve("IdleConnectionReaper.java");
        Files.writeString(reaper, REAPER_SOURCE, StandardCharsets.UTF_8);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String fcCore = Path.of(Context.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--release", "11", "-cp", fcCore, "-d", classes.toString(), src.toString(),
                reaper.toString());
        if (rc != 0) {
            throw new IOException("javac failed with " + rc);
        }
        Path jar = dir.resolve("echo.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        return jar;
    }
}
