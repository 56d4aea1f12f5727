package com.fcminiapp.localcloud.funlocal;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The files that point Funcraft's {@code fun local invoke} / {@code fun local start} at local-cloud, and a sample
 * event per function.
 * {@code template.override.yml} gives every function its environment as literal strings: Funcraft merges the
 * templates given with {@code -t} (lib/tpl.js generateMergedTpl → lib/utils/tpl.js mergeTpl, lodash merge, last
 * wins) and copies EnvironmentVariables verbatim (lib/docker.js generateFunctionEnvs), so a {@code Ref} or
 * {@code Fn::Sub} left in template.yml would reach the function as {@code [object Object]}. {@code .env} is fun's
 * profile (lib/profile.js reads it with dotenv from the working folder): the account, region and the key fun hands
 * each container as its execution credentials. Each service's LogConfig becomes literal too (fun passes it as
 * FC_SERVICE_LOG_PROJECT / FC_SERVICE_LOG_STORE, and template.yml names it with Fn::GetAtt).
 */
public final class FunLocalFiles {

    public static final String TEMPLATE = "template.override.yml";
    public static final String PROFILE = ".env";
    /** The folder of sample events, one {@code <function>.json} per function. */
    public static final String EVENTS = "events";
    /** What a sample event holds where the sessionId of a login goes (as in the repository's events/). */
    public static final String SESSION_ID = "SESSION_ID";
    /** The session function's sample: a login of user {@code alice} (each authCode works once: change the part after the colon). */
    public static final String SESSION_EVENT = "{\"authCode\": \"alice:fun-local-1\"}\n";
    /** The db function's sample: the first page of the caller's rows. */
    public static final String DB_EVENT = "{\"sid\": \"" + SESSION_ID + "\", \"op\": \"list\", \"limit\": 10}\n";
    /** An app function's sample: the kit's event, a session and the function's input. */
    public static final String APP_EVENT = "{\"sid\": \"" + SESSION_ID + "\", \"input\": {}}\n";
    /** The log project and store every service names locally (local-cloud keeps no logs; the names are inert). */
    public static final String LOG_PROJECT = "fc-miniapp-local-log";
    public static final String LOG_STORE = "function-log";

    /** FC's rule for a function name, which also keeps a file named after it inside its folder. */
    private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,127}");
    /** A loopback or wildcard host right before a port, at the start of a value or after a scheme. */
    private static final Pattern LOCAL_HOST = Pattern.compile("(^|://)(127\\.0\\.0\\.1|0\\.0\\.0\\.0|localhost|\\[::1])(?=:\\d)");

    private FunLocalFiles() {
    }

    /**
     * The same environment with every loopback or wildcard endpoint on {@code host}, the address a container
     * reaches this machine on (Docker's bridge gateway, or host.docker.internal).
     */
    public static Map<String, String> onHost(Map<String, String> env, String host) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> out.put(k, LOCAL_HOST.matcher(v).replaceAll("$1" + host)));
        return out;
    }

    /**
     * Writes {@code events/<function>.json} into {@code dir} for each function of {@code events} (function → its
     * sample event, e.g. {@link #APP_EVENT}), for {@code fun local invoke <service>/<function> -e <file>}.
     */
    public static void writeEvents(Path dir, Map<String, String> events) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(EVENTS));
        for (Map.Entry<String, String> e : events.entrySet()) {
            if (!FUNCTION_NAME.matcher(e.getKey()).matches()) {
                throw new IllegalArgumentException("function name " + e.getKey() + " breaks FC's rules; no file named");
            }
            Files.writeString(folder.resolve(e.getKey() + ".json"), e.getValue(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Writes {@link #TEMPLATE} and {@link #PROFILE} into {@code dir}.
     *
     * @param environments service → function → its whole environment
     */
    public static void write(Path dir, Map<String, Map<String, Map<String, String>>> environments, String accountId,
                             String region, String accessKeyId, String accessKeySecret, String securityToken)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> resources = new LinkedHashMap<>();
        environments.forEach((service, functions) -> {
            Map<String, Object> serviceNode = new LinkedHashMap<>();
            serviceNode.put("Properties", Map.of("LogConfig", Map.of("Project", LOG_PROJECT, "Logstore", LOG_STORE)));
            functions.forEach((function, env) -> serviceNode.put(function,
                    Map.of("Properties", Map.of("EnvironmentVariables", new LinkedHashMap<>(env)))));
            resources.put(service, serviceNode);
        });
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        // every value a string, as FC's environment holds them (no YAML number or boolean)
        options.setDefaultScalarStyle(DumperOptions.ScalarStyle.DOUBLE_QUOTED);
        options.setWidth(Integer.MAX_VALUE);
        String yaml = "# Written by local-cloud --fun-local: merge it over template.yml (fun local invoke -t template.yml -t "
                + "<this file>). Local values only; never deploy with it.\n"
                + new Yaml(options).dump(Map.of("Resources", resources));
        Files.writeString(dir.resolve(TEMPLATE), yaml, StandardCharsets.UTF_8);
        String profile = "# fun's profile for fun local against local-cloud (a local key, valid only there)\n"
                + "ACCOUNT_ID=" + accountId + "\n" + "REGION=" + region + "\n"
                + "ACCESS_KEY_ID=" + accessKeyId + "\n" + "ACCESS_KEY_SECRET=" + accessKeySecret + "\n"
                + "SECURITY_TOKEN=" + securityToken + "\n";
        Files.writeString(dir.resolve(PROFILE), profile, StandardCharsets.UTF_8);
    }
}
