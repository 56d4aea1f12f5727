package com.fcminiapp.session.sts;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The inline policy given to AssumeRole: {@code fc:InvokeFunction} on the db function and nothing else, in the
 * FC 2.0 resource forms ({@code services/<service>[.<qualifier>]/functions/<fn>}) when the service is known, and
 * the FC 3.0 forms ({@code functions/<fn>[/<qualifier>]}).
 */
public final class InvokePolicy {

    private InvokePolicy() {
    }

    public static List<String> resources(String region, String accountId, String serviceName, String functionName) {
        String prefix = "acs:fc:" + region + ":" + accountId + ":";
        List<String> resources = new ArrayList<>();
        if (serviceName != null && !serviceName.isEmpty()) {
            resources.add(prefix + "services/" + serviceName + "/functions/" + functionName);
            resources.add(prefix + "services/" + serviceName + ".*/functions/" + functionName);
        }
        resources.add(prefix + "functions/" + functionName);
        resources.add(prefix + "functions/" + functionName + "/*");
        return resources;
    }

    /** The policy document as STS takes it (compact JSON). */
    public static String forDbFunction(String region, String accountId, String serviceName, String functionName) {
        ObjectNode statement = JsonNodeFactory.instance.objectNode();
        statement.put("Effect", "Allow");
        statement.putArray("Action").add("fc:InvokeFunction");
        ArrayNode resources = statement.putArray("Resource");
        resources(region, accountId, serviceName, functionName).forEach(resources::add);
        ObjectNode policy = JsonNodeFactory.instance.objectNode();
        policy.put("Version", "1");
        policy.putArray("Statement").add(statement);
        return new String(Json.write(policy), StandardCharsets.UTF_8);
    }
}
