package com.fcminiapp.session.sts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class InvokePolicyTest {

    @Test
    void allowsOnlyInvokeOnTheDbFunctionInBothFcForms() throws Exception {
        JsonNode policy = policy("svc");

        assertThat(policy.get("Version").asText()).isEqualTo("1");
        assertThat(policy.get("Statement")).hasSize(1);
        JsonNode statement = policy.get("Statement").get(0);
        assertThat(statement.get("Effect").asText()).isEqualTo("Allow");
        assertThat(statement.get("Action")).extracting(JsonNode::asText).containsExactly("fc:InvokeFunction");
        assertThat(statement.get("Resource")).extracting(JsonNode::asText).containsExactly(
                "acs:fc:cn-shanghai:42:services/svc/functions/db",
                "acs:fc:cn-shanghai:42:services/svc.*/functions/db",
                "acs:fc:cn-shanghai:42:functions/db",
                "acs:fc:cn-shanghai:42:functions/db/*");
    }

    @Test
    void withoutAServiceOnlyTheFc3FormsRemain() throws Exception {
        JsonNode policy = policy(null);

        assertThat(policy.at("/Statement/0/Resource")).extracting(JsonNode::asText)
                .containsExactly("acs:fc:cn-shanghai:42:functions/db", "acs:fc:cn-shanghai:42:functions/db/*");
    }

    private static JsonNode policy(String serviceName) throws IOException {
        return Json.readTree(InvokePolicy.forDbFunction("cn-shanghai", "42", serviceName, "db")
                .getBytes(StandardCharsets.UTF_8));
    }
}
