package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The repository files the deploy checks read, the shaded jars, and the pinned npm tools that check them. */
final class DeployFiles {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private DeployFiles() {
    }

    static Path root() {
        return Paths.get(System.getProperty("deploy.root", "..")).toAbsolutePath().normalize();
    }

    static JsonNode yaml(String file) {
        try {
            return YAML.readTree(root().resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table names the repository's tables.json declares, in its order (the declaration: docs/deploy.md). */
    static List<String> declaredTables() {
        return declaredTables(root().resolve("tables.json"));
    }

    /** The table names a tables.json declares, in its order. */
    static List<String> declaredTables(Path tablesJson) {
        try {
            List<String> names = new ArrayList<>();
            JSON.readTree(tablesJson.toFile()).fieldNames().forEachRemaining(names::add);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A code path as a descriptor writes it ({@code ./x/target/y.jar}), resolved against the repository root. */
    static Path codePath(String path) {
        return root().resolve(path).normalize();
    }

    /** A loader over one jar and nothing else: the JDK's platform classes are all FC's java11 runtime adds. */
    static URLClassLoader isolatedLoader(Path jar) {
        try {
            return new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The public method {@code Class::method} names, with a signature FC can call: an initializer takes
     * {@code (Context)}; a handler takes {@code (InputStream, OutputStream, Context)} or, for an FC 2.0 HTTP
     * trigger, {@code (HttpServletRequest, HttpServletResponse, Context)}.
     */
    static Optional<Method> fcMethod(ClassLoader loader, String reference, boolean initializer) {
        String[] parts = reference.split("::", -1);
        if (parts.length != 2) {
            return Optional.empty();
        }
        Class<?> type;
        try {
            type = Class.forName(parts[0], false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
            return Optional.empty();
        }
        try {
            type.getConstructor();
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
        List<List<String>> signatures = initializer
                ? List.of(List.of("com.aliyun.fc.runtime.Context"))
                : List.of(List.of("java.io.InputStream", "java.io.OutputStream", "com.aliyun.fc.runtime.Context"),
                        List.of("javax.servlet.http.HttpServletRequest", "javax.servlet.http.HttpServletResponse",
                                "com.aliyun.fc.runtime.Context"));
        for (Method m : type.getMethods()) {
            if (!m.getName().equals(parts[1]) || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            List<String> params = new ArrayList<>();
            for (Class<?> p : m.getParameterTypes()) {
                params.add(p.getName());
            }
            if (signatures.contains(params)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * The PreStop method {@code Class::method} names: a {@code (Context)} method FC can call, on a class implementing
     * fc-java-core's {@code PreStopHandler} (the interface FC's Java runtime calls it through).
     */
    static Optional<Method> preStopMethod(ClassLoader loader, String reference) throws ClassNotFoundException {
        Class<?> preStopHandler = Class.forName("com.aliyun.fc.runtime.PreStopHandler", false, loader);
        return fcMethod(loader, reference, true)
                .filter(m -> m.getName().equals("preStop") && preStopHandler.isAssignableFrom(m.getDeclaringClass()));
    }

    /** What a tool printed and how it ended. */
    static final class Run {
        final int exitCode;
        final String stdout;
        final String stderr;

        Run(int exitCode, String stdout, String stderr) {
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Runs an installed npm tool from the repository root, with HOME in a fresh temporary folder. */
    static Run tool(String name, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path bin = Paths.get(System.getProperty("deploy.tools", "node_modules/.bin")).resolve(name);
        List<String> command = new ArrayList<>();
        command.add(bin.toString());
        command.addAll(List.of(args));
        Path home = Files.createTempDirectory("deploy-home");
        Path out = Files.createTempFile("deploy-tool", ".out");
        Path err = Files.createTempFile("deploy-tool", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).directory(root().toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("HOME", home.toString());
        pb.environment().put("NO_COLOR", "1");
        pb.environment().put("FORCE_COLOR", "0");
        pb.environment().putAll(env);
        Process process = pb.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not finish within 120 s");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
