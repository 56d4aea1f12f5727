package com.fcminiapp.session.sts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.config.SessionConfig;
import com.fcminiapp.common.config.SessionConfig.CallableFunction;
import com.fcminiapp.common.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The inline policy given to AssumeRole: {@code fc:InvokeFunction} on the db function and on each callable app
 * function (CALLABLE_FUNCTIONS), nothing else. A function with a service gets its FC 2.0 resource
 * ({@code services/<service>/functions/<fn>}) and its FC 3.0 one ({@code functions/<fn>}); one without (FC 3.0)
 * only the latter. Unqualified only: the invoke role grants no version or alias either, and every resource counts
 * against STS's limit on the policy's length.
 */
public final class InvokePolicy {

    /** The longest {@code Policy} AssumeRole takes, in characters (raised from 1024 in September 2022). */
    public static final int MAX_CHARS = 2048;

    private InvokePolicy() {
    }

    /** The resources naming one function: FC 2.0's form when it has a service, then FC 3.0's. */
    public static List<String> resources(String region, String accountId, String serviceName, String functionName) {
        String prefix = "acs:fc:" + region + ":" + accountId + ":";
        List<String> resources = new ArrayList<>();
        if (serviceName != null && !serviceName.isEmpty()) {
            resources.add(prefix + "services/" + serviceName + "/functions/" + functionName);
        }
        resources.add(prefix + "functions/" + functionName);
        return resources;
    }

    /** The policy for the db function alone (no callable app function). */
    public static String forDbFunction(String region, String accountId, String serviceName, String functionName) {
        return forDbFunction(region, accountId, serviceName, functionName, List.of());
    }

    /**
     * The policy document as STS takes it (compact JSON): the db function's resources, then each callable's in the
     * list's order, each resource once.
     *
     * @throws com.fcminiapp.common.config.ConfigException when the document would be longer than {@link #MAX_CHARS}
     */
    public static String forDbFunction(String region, String accountId, String serviceName, String functionName,
                                       List<CallableFunction> callables) {
        Set<String> resources = new LinkedHashSet<>(resources(region, accountId, serviceName, functionName));
        for (CallableFunction callable : callables) {
            resources.addAll(resources(region, accountId, callable.service().orElse(null), callable.function()));
        }
        ObjectNode statement = JsonNodeFactory.instance.objectNode();
        statement.put("Effect", "Allow");
        statement.putArray("Action").add("fc:InvokeFunction");
        ArrayNode list = statement.putArray("Resource");
        resources.forEach(list::add);
        ObjectNode policy = JsonNodeFactory.instance.objectNode();
        policy.put("Version", "1");
        policy.putArray("Statement").add(statement);
        String document = new String(Json.write(policy), StandardCharsets.UTF_8);
        if (document.length() > MAX_CHARS) {
            throw SessionConfig.problem("CALLABLE_FUNCTIONS: with its " + callables.size() + " functions the users'"
                    + " inline policy would be " + document.length() + " characters, over the " + MAX_CHARS
                    + " STS's AssumeRole takes; make fewer functions callable (or give them shorter names)");
        }
        return document;
    }
}
