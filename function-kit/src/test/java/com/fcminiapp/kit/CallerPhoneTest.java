package com.fcminiapp.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.kit.testing.KitTestCloud;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code caller.phone()}: the caller's own verified number from the users table, read at most once per invocation
 * and not at all when the function never asks.
 */
class CallerPhoneTest {

    private KitTestCloud cloud;

    /** Answers the caller's phone (null when none), asked {@code input} times. */
    private static final AppFunction PHONE = (caller, input) -> {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        Optional<String> phone = Optional.empty();
        for (int i = 0; i < input.asInt(); i++) {
            phone = caller.phone();
        }
        out.put("phone", phone.orElse(null));
        return out;
    };

    @BeforeEach
    void start() {
        cloud = KitTestCloud.start();
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void theCallerHasNoPhoneUntilItsNumberIsStoredThenTheFullNumber() {
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), PHONE);
        String sid = cloud.login("alice");

        JsonNode before = cloud.invoke(handler, cloud.event(sid, "1"));
        cloud.sharePhone("alice", "13812345678");
        JsonNode after = cloud.invoke(handler, cloud.event(sid, "1"));

        assertThat(before.at("/data/phone").isNull()).as(before.toString()).isTrue();
        assertThat(after.at("/data/phone").asText()).isEqualTo("13812345678");
        assertThat(cloud.logLines()).noneMatch(line -> line.contains("13812345678"));
    }

    @Test
    void eachCallerSeesOnlyTheirOwnNumber() {
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), PHONE);
        cloud.sharePhone("alice", "13812345678");
        cloud.sharePhone("bob", "13900000000");

        assertThat(cloud.invoke(handler, cloud.event(cloud.login("bob"), "1")).at("/data/phone").asText())
                .isEqualTo("13900000000");
        assertThat(cloud.invoke(handler, cloud.event(cloud.login("carol"), "1")).at("/data/phone").isNull())
                .isTrue();
    }

    @Test
    void theUsersTableIsReadOncePerInvocationAndNotAtAllWhenNeverAsked() {
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), PHONE);
        String sid = cloud.login("alice");
        cloud.sharePhone("alice", "13812345678");
        cloud.invoke(handler, cloud.event(sid, "0"));

        long start = cloud.tablestore().faults().requests();
        cloud.invoke(handler, cloud.event(sid, "0"));
        long unasked = cloud.tablestore().faults().requests() - start;
        cloud.invoke(handler, cloud.event(sid, "3"));
        long askedThrice = cloud.tablestore().faults().requests() - start - unasked;
        JsonNode again = cloud.invoke(handler, cloud.event(sid, "2"));

        // the session check is the one read an unasked invocation makes
        assertThat(unasked).isEqualTo(1);
        assertThat(askedThrice).isEqualTo(2);
        assertThat(again.at("/data/phone").asText()).isEqualTo("13812345678");
    }

    @Test
    void aFailingUsersTableReadIsUpstreamUnavailable() {
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), PHONE);
        String sid = cloud.login("alice");
        cloud.invoke(handler, cloud.event(sid, "0"));
        // the session check passes, the users-table read fails
        cloud.tablestore().faults().failAfter(1, Long.MAX_VALUE);

        JsonNode answer = cloud.invoke(handler, cloud.event(sid, "1"));
        cloud.tablestore().faults().clear();

        assertThat(answer.at("/error/code").asText()).as(answer.toString()).isEqualTo("UPSTREAM_UNAVAILABLE");
    }
}
