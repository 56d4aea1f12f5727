package com.fcminiapp.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.kit.testing.KitTestCloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The caller is the session's user whatever the event says, and the input reaches the function as sent. */
class CallerIdentityTest {

    static final KitTestCloud cloud = KitTestCloud.start();

    /** What the scaffold's first function answers: the caller's uid and the input as sent. */
    static final AppFunction ECHO = (caller, input) -> {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("uid", caller.uid());
        out.set("input", input);
        return out;
    };

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void aUidOrUserIdInTheEventOrTheInputNeverChangesTheCaller() {
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), ECHO);
        String sid = cloud.login("alice");
        String bob = cloud.uid("bob");

        JsonNode answer = cloud.invoke(handler, "{\"uid\":\"" + bob + "\",\"userId\":\"" + bob + "\",\"sid\":\""
                + sid + "\",\"input\":{\"uid\":\"" + bob + "\",\"userId\":\"" + bob + "\"}}");

        assertThat(answer.at("/data/uid").asText()).isEqualTo(cloud.uid("alice")).isNotEqualTo(bob);
        assertThat(answer.at("/data/input/uid").asText()).isEqualTo(bob);
        assertThat(answer.at("/data/input/userId").asText()).isEqualTo(bob);
    }

    @Test
    void theInputReachesTheFunctionExactlyAsSent() {
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), ECHO);
        String sid = cloud.login("carol");
        String input = "{\"n\":[1,-0.0,0.1,1.5E-7,12345678901234567890123,9223372036854775807],\"deep\":{\"a\":{\"b\":"
                + "[true,false,null,{}]}},\"text\":\"\u4f60\u597d \ud83d\ude00 \\\"q\\\" \\\\ \\u0000\",\"empty\":[]}";

        JsonNode answer = cloud.invoke(handler, cloud.event(sid, input));

        assertThat(new String(Json.write(answer.at("/data/input")), StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.write(parse(input)), StandardCharsets.UTF_8));
        assertThat(answer.at("/data/input/n/4").bigIntegerValue().toString()).isEqualTo("12345678901234567890123");
        assertThat(answer.at("/data/input/text").asText()).isEqualTo("\u4f60\u597d \ud83d\ude00 \"q\" \\ \u0000");
    }

    @Test
    void anEventWithoutInputOrWithANullOneHandsTheFunctionNullAndScalarsArePassedToo() {
        List<String> seen = new CopyOnWriteArrayList<>();
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), (caller, input) -> {
            seen.add(input == null ? "null" : input.getNodeType() + ":" + input);
            return null;
        });
        String sid = cloud.login("dave");

        JsonNode absent = cloud.invoke(handler, "{\"sid\":\"" + sid + "\"}");
        cloud.invoke(handler, "{\"sid\":\"" + sid + "\",\"input\":null}");
        cloud.invoke(handler, "{\"sid\":\"" + sid + "\",\"input\":\"x\"}");
        cloud.invoke(handler, "{\"sid\":\"" + sid + "\",\"input\":[7]}");

        assertThat(absent.toString()).isEqualTo("{\"data\":null}");
        assertThat(seen).containsExactly("null", "null", "STRING:\"x\"", "ARRAY:[7]");
    }

    @Test
    void theCallerCarriesTheInvocationsRequestIdAndLogger() {
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), (caller, input) -> {
            caller.logger().info("checked in " + caller.uid());
            return caller.requestId();
        });
        String sid = cloud.login("erin");

        JsonNode answer = cloud.invoke(handler, cloud.event(sid, "{}"));

        String requestId = answer.get("data").asText();
        assertThat(requestId).hasSize(36);
        assertThat(cloud.logLines()).anySatisfy(line -> assertThat(line).contains(requestId)
                .contains("checked in " + cloud.uid("erin")));
    }

    private static JsonNode parse(String json) {
        return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    }
}
