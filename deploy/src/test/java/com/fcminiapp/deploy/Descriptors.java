package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The functions template.yml and s.yaml declare, as the deploy checks see them: the two built-ins (session and db)
 * and every other function, an app function. In template.yml an app function {@code <name>} is the one function of
 * its own service {@code fc-miniapp-<name>} (FC 2.0: the role belongs to the service); in s.yaml it is resource
 * {@code <name>} with function name {@code <name>}, running with role {@code fc-miniapp-<name>}.
 */
final class Descriptors {

    static final String SESSION_SERVICE = "fc-miniapp-session";
    static final String DB_SERVICE = "fc-miniapp";
    static final String SESSION_FUNCTION = "session";
    static final String DB_FUNCTION = "db";
    /** The users table (USERS_TABLE of every function): the session function writes it, app functions read it. */
    static final String USERS_TABLE = "miniapp_users";
    /** An app function's service in template.yml, and its role's name in s.yaml: this and the function's name. */
    static final String APP_PREFIX = "fc-miniapp-";
    /** s.yaml's resources of the built-ins. */
    static final List<String> S_YAML_BUILT_INS = List.of("session", "db");
    /** An app function's s.yaml role: the account's role {@code fc-miniapp-<name>}. */
    static final String S_YAML_APP_ROLE = "acs:ram::${vars.accountId}:role/" + APP_PREFIX;
    private static final String SERVICE = "Aliyun::Serverless::Service";
    private static final String FUNCTION = "Aliyun::Serverless::Function";

    private Descriptors() {
    }

    /** Every function of template.yml → its service, in the file's order. */
    static Map<String, String> templateFunctions(JsonNode template) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = template.path("Resources").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> resource = it.next();
            if (!SERVICE.equals(resource.getValue().path("Type").asText())) {
                continue;
            }
            for (String function : functionsOf(resource.getValue())) {
                out.put(function, resource.getKey());
            }
        }
        return out;
    }

    /** The function children of a service resource. */
    static List<String> functionsOf(JsonNode service) {
        List<String> out = new ArrayList<>();
        service.fields().forEachRemaining(child -> {
            if (FUNCTION.equals(child.getValue().path("Type").asText())) {
                out.add(child.getKey());
            }
        });
        return out;
    }

    /** The service resources of template.yml other than the two built-ins' (each should hold one app function). */
    static List<String> templateAppServices(JsonNode template) {
        List<String> out = new ArrayList<>();
        template.path("Resources").fields().forEachRemaining(r -> {
            if (SERVICE.equals(r.getValue().path("Type").asText()) && !r.getKey().equals(SESSION_SERVICE)
                    && !r.getKey().equals(DB_SERVICE)) {
                out.add(r.getKey());
            }
        });
        return out;
    }

    /** template.yml's app functions: every function but session and db, in the file's order. */
    static List<String> templateAppFunctions(JsonNode template) {
        List<String> out = new ArrayList<>();
        templateFunctions(template).forEach((function, service) -> {
            if (!service.equals(SESSION_SERVICE) && !service.equals(DB_SERVICE)) {
                out.add(function);
            }
        });
        return out;
    }

    /** The Properties of template.yml's function {@code name} (missing when there is none). */
    static JsonNode templateFunction(JsonNode template, String name) {
        String service = templateFunctions(template).get(name);
        return service == null ? template.path("Resources").path("no such function")
                : template.path("Resources").path(service).path(name).path("Properties");
    }

    /** s.yaml's resources other than the built-ins': its app functions' resource keys, in the file's order. */
    static List<String> sYamlAppFunctions(JsonNode sYaml) {
        List<String> out = new ArrayList<>();
        sYaml.path("resources").fieldNames().forEachRemaining(key -> {
            if (!S_YAML_BUILT_INS.contains(key)) {
                out.add(key);
            }
        });
        return out;
    }

    /** The entries of a comma-separated list (CALLABLE_FUNCTIONS, APP_TABLES): trimmed, none empty. */
    static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.trim().isEmpty()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /** A function's environment variable as text ({@code Ref}/{@code Fn::Sub} resolved as {@link RoleRules#resolve}). */
    static String env(JsonNode functionProps, String name) {
        JsonNode value = functionProps.path("EnvironmentVariables").path(name);
        return value.isMissingNode() ? null : RoleRules.resolve(value);
    }
}
