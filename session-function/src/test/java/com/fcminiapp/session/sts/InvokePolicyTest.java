package com.fcminiapp.session.sts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.json.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InvokePolicyTest {

    @Test
    void allowsOnlyInvokeOnTheDbFunctionInBothFcForms() throws Exception {
        JsonNode policy = Json.MAPPER.readTree(InvokePolicy.forDbFunction("cn-shanghai", "42", "svc", "db"));

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
        JsonNode policy = Json.MAPPER.readTree(InvokePolicy.forDbFunction("cn-shanghai", "42", null, "db"));

        assertThat(policy.at("/Statement/0/Resource")).extracting(JsonNode::asText)
                .containsExactly("acs:fc:cn-shanghai:42:functions/db", "acs:fc:cn-shanghai:42:functions/db/*");
    }
}
