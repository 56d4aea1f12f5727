package com.fcminiapp.deploy;

import com.fcminiapp.common.config.AppConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What both descriptors give an app function besides its role: the function kit's variables (those of
 * {@link AppConfig#VARIABLES}; the Tablestore ones and DATA_TABLES with the db function's values; OSS_* all or none,
 * as the db function's), none of the session function's, and code a module of this build makes.
 */
final class AppFunctionRules {

    /** The files' variables: an app function with any has all three, with the db function's values. */
    static final List<String> FILE_VARIABLES = List.of("OSS_ENDPOINT", "OSS_PUBLIC_ENDPOINT", "OSS_BUCKET");
    /**
     * What the kit reads that an app function may leave out: the files' settings (no files without OSS_BUCKET) and
     * DATA_TABLES (without it every APP_TABLES name is a private table, as before issue 19).
     */
    static final Set<String> KIT_OPTIONAL = Set.of("OSS_ENDPOINT", "OSS_PUBLIC_ENDPOINT", "OSS_BUCKET",
            "UPLOAD_MAX_BYTES", "URL_EXPIRY_SECONDS", "DATA_TABLES");
    /** What the function kit reads (its {@link AppConfig#VARIABLES}) and every app function has. */
    static final List<String> KIT_VARIABLES = AppConfig.VARIABLES.stream().filter(v -> !KIT_OPTIONAL.contains(v))
            .collect(Collectors.toUnmodifiableList());
    /**
     * Each of these the same as the db function's: one instance, one session table, one users table, one lifetime,
     * one JVM, one table declaration (DATA_TABLES, when the function has it).
     */
    static final List<String> AS_THE_DB_FUNCTION = List.of("TABLESTORE_ENDPOINT", "TABLESTORE_INSTANCE",
            "TABLESTORE_AUTO_CREATE", "SESSION_TABLE", "SESSION_TTL_SECONDS", "USERS_TABLE", "JAVA_TOOL_OPTIONS");
    /** The session function's secrets and settings, and the db function's own: never an app function's. */
    static final Set<String> NOT_FOR_APPS = Set.of("ALIPAY_APP_ID", "ALIPAY_PRIVATE_KEY", "ALIPAY_PUBLIC_KEY",
            "ALIPAY_GATEWAY", "STS_ROLE_ARN", "STS_ENDPOINT", "STS_DURATION_SECONDS", "DB_FUNCTION_NAME",
            "DB_SERVICE_NAME", "CALLABLE_FUNCTIONS");
    /** A code path as both descriptors write it: a module's shaded jar. */
    private static final Pattern CODE = Pattern.compile("\\./([A-Za-z0-9_./-]+)/target/[A-Za-z0-9_.-]+\\.jar");

    private AppFunctionRules() {
    }

    /**
     * Why an app function's environment (name → value as the descriptor resolves it) is not the kit's: a kit
     * variable missing, a shared one unlike the db function's, some but not all of the file variables, or one of
     * the session function's.
     */
    static List<String> environmentProblems(String who, Map<String, String> env, Map<String, String> dbEnv) {
        List<String> problems = new ArrayList<>();
        for (String name : KIT_VARIABLES) {
            if (!env.containsKey(name)) {
                problems.add(who + " lacks " + name);
            }
        }
        for (String name : AS_THE_DB_FUNCTION) {
            if (!String.valueOf(env.get(name)).equals(String.valueOf(dbEnv.get(name)))) {
                problems.add(who + ": " + name + " is not the db function's");
            }
        }
        if (env.containsKey("DATA_TABLES") && !env.get("DATA_TABLES").equals(dbEnv.get("DATA_TABLES"))) {
            problems.add(who + ": DATA_TABLES is not the db function's (run scripts/tables.sh)");
        }
        long files = FILE_VARIABLES.stream().filter(env::containsKey).count();
        if (files != 0 && files != FILE_VARIABLES.size()) {
            problems.add(who + " has some of " + FILE_VARIABLES + " but not all");
        }
        for (String name : FILE_VARIABLES) {
            if (env.containsKey(name) && !env.get(name).equals(dbEnv.get(name))) {
                problems.add(who + ": " + name + " is not the db function's");
            }
        }
        env.keySet().stream().filter(NOT_FOR_APPS::contains)
                .forEach(name -> problems.add(who + " has " + name + ", which is no app function's"));
        return problems;
    }

    /**
     * Why {@code codePath} is not a jar of this build with {@code handlerClass} in it: not {@code ./<module>/target/
     * <jar>.jar} of a module with a pom.xml, or (before the module is built) no source of the handler class in the
     * module.
     */
    static List<String> codeProblems(String who, String codePath, String handlerClass) {
        Matcher m = CODE.matcher(codePath);
        if (!m.matches()) {
            return List.of(who + ": code " + codePath + " is not ./<module>/target/<jar>.jar");
        }
        Path module = DeployFiles.root().resolve(m.group(1)).normalize();
        if (!Files.isRegularFile(module.resolve("pom.xml"))) {
            return List.of(who + ": code " + codePath + " is not in a Maven module (no " + m.group(1) + "/pom.xml)");
        }
        Path source = module.resolve("src/main/java").resolve(handlerClass.replace('.', '/') + ".java");
        if (!Files.isRegularFile(DeployFiles.codePath(codePath)) && !Files.isRegularFile(source)) {
            return List.of(who + ": neither " + codePath + " nor the source of " + handlerClass + " exists");
        }
        return List.of();
    }

    /** The module a code path's jar is built in ({@code ./m/target/x.jar} → {@code m}). */
    static String module(String codePath) {
        Matcher m = CODE.matcher(codePath);
        return m.matches() ? m.group(1) : null;
    }
}
