package com.fcminiapp.session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** Upstream failures and bad requests: each gets its contract code, and nothing is half-written. */
class SessionFailureTest {

    private SessionCloud cloud;
    private EntryPoint.Driver fn;

    @BeforeEach
    void start() {
        cloud = new SessionCloud();
        fn = EntryPoint.INVOKE.start(cloud.environment(), Clock.systemUTC());
        // the instance is initialized (table created) while everything is up
        assertThat(fn.post(cloud.context(), "{\"action\":\"logout\",\"sessionId\":\"x\"}").status).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void alipayDownIsUpstreamUnavailableAndStoresNothing() {
        cloud.alipay.faults().fail();

        EntryPoint.Reply reply = fn.post(cloud.context(), "{\"authCode\":\"amy:1\"}");

        assertThat(reply.status).isEqualTo(503);
        assertThat(reply.errorCode()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(reply.json.at("/error/message").asText()).contains("Alipay").contains("retry");
        assertThat(cloud.sts.assumeRoleRequests()).isEmpty();
        assertThat(cloud.sessionRows()).isEmpty();
    }

    @Test
    void alipayStallIsUpstreamUnavailable() {
        cloud.alipay.faults().stall(Duration.ofSeconds(5));

        EntryPoint.Reply reply = fn.post(cloud.context(), "{\"authCode\":\"amy:2\"}");

        assertThat(reply.errorCode()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(cloud.sessionRows()).isEmpty();
    }

    @Test
    void stsDownAfterAlipayAcceptedIsUpstreamUnavailableAndStoresNothing() {
        cloud.sts.faults().fail();

        EntryPoint.Reply reply = fn.post(cloud.context(), "{\"authCode\":\"ben:1\"}");

        assertThat(reply.errorCode()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(reply.json.at("/error/message").asText()).contains("STS");
        assertThat(cloud.alipay.isUsed("ben:1")).isTrue();
        cloud.sts.faults().clear();
        assertThat(cloud.sessionRows()).isEmpty();
    }

    @Test
    void tablestoreDownIsUpstreamUnavailableAndStoresNothing() {
        cloud.tablestore.faults().fail();

        EntryPoint.Reply reply = fn.post(cloud.context(), "{\"authCode\":\"cat:1\"}");

        assertThat(reply.errorCode()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(reply.json.at("/error/message").asText()).contains("Tablestore");
        cloud.tablestore.faults().clear();
        assertThat(cloud.sessionRows()).isEmpty();
    }

    @Test
    void refreshWithStsDownKeepsTheSession() {
        String sessionId = fn.post(cloud.context(), "{\"authCode\":\"dan:1\"}").json.get("sessionId").asText();
        cloud.sts.faults().fail();

        EntryPoint.Reply failed = fn.post(cloud.context(), "{\"action\":\"refresh\",\"sessionId\":\"" + sessionId + "\"}");
        cloud.sts.faults().clear();
        EntryPoint.Reply retried = fn.post(cloud.context(), "{\"action\":\"refresh\",\"sessionId\":\"" + sessionId + "\"}");

        assertThat(failed.errorCode()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(retried.status).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "[1,2]", "\"text\"", "", "{\"authCode\":\"a:1\"} trailing",
            "{\"authCode\":\"a:1\",\"authCode\":\"b:1\"}"})
    void malformedJsonIsInvalidArgument(String body) {
        EntryPoint.Reply reply = fn.post(cloud.context(), body);

        assertThat(reply.status).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("INVALID_ARGUMENT");
        assertThat(reply.json.at("/error/message").asText()).isNotEmpty().doesNotContain("Exception");
        assertThat(cloud.sessionRows()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"authCode\":null}", "{\"authCode\":\"\"}", "{\"authCode\":42}",
            "{\"action\":\"login\"}", "{\"action\":\"delete\",\"authCode\":\"a:1\"}", "{\"action\":7}",
            "{\"action\":\"refresh\",\"sessionId\":123}"})
    void missingOrWrongFieldsAreInvalidArgument(String body) {
        EntryPoint.Reply reply = fn.post(cloud.context(), body);

        assertThat(reply.errorCode()).as(reply.toString()).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void missingAuthCodeSaysWhatToSend() {
        assertThat(fn.post(cloud.context(), "{}").json.at("/error/message").asText()).contains("authCode");
    }

    @ParameterizedTest
    @EnumSource(value = EntryPoint.class, names = {"HTTP_FC2", "HTTP_FC3"})
    void getInsteadOfPostIsMethodNotAllowed(EntryPoint entryPoint) {
        EntryPoint.Driver http = entryPoint.start(cloud.environment(), Clock.systemUTC());

        EntryPoint.Reply reply = http.call(cloud.context(), "GET", "{\"authCode\":\"eve:1\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(reply.status).isEqualTo(405);
        assertThat(reply.errorCode()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(reply.headers.get("Allow")).isEqualTo("POST");
        assertThat(cloud.alipay.isUsed("eve:1")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void oversizedBodyIsPayloadTooLarge(EntryPoint entryPoint) {
        EntryPoint.Driver driver = entryPoint.start(cloud.environment(), Clock.systemUTC());
        String big = "{\"authCode\":\"fay:1\",\"padding\":\"" + "x".repeat(SessionActions.MAX_BODY_BYTES) + "\"}";

        EntryPoint.Reply reply = driver.post(cloud.context(), big);

        assertThat(reply.status).isEqualTo(413);
        assertThat(reply.errorCode()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(cloud.alipay.isUsed("fay:1")).isFalse();
    }

    @Test
    void alipaySdkLogsNothingThatQuotesTheAuthCode() {
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            fn.post(cloud.context(), "{\"authCode\":\"gus:1\"}");
            fn.post(cloud.context(), "{\"authCode\":\"gus:1\"}");
        } finally {
            root.removeHandler(capture);
        }

        assertThat(records).noneMatch(r -> String.valueOf(r.getMessage()).contains("gus:1"));
    }

    @Test
    void anFc3EventOverItsLimitIsAnHttpPayloadTooLargeAnswer() throws Exception {
        SessionHttpEventHandler handler = new SessionHttpEventHandler(cloud.environment(), Clock.systemUTC());
        int limit = 4 * SessionActions.MAX_BODY_BYTES + 64 * 1024;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        handler.handleRequest(new java.io.ByteArrayInputStream(new byte[limit + 1]), out, cloud.context());

        EntryPoint.Reply reply = EntryPoint.fc3Reply(EntryPoint.parse(out.toByteArray()));
        assertThat(reply.status).isEqualTo(413);
        assertThat(reply.errorCode()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(reply.headers.get("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void anFc3EventAtItsLimitIsRead() throws Exception {
        SessionHttpEventHandler handler = new SessionHttpEventHandler(cloud.environment(), Clock.systemUTC());
        int limit = 4 * SessionActions.MAX_BODY_BYTES + 64 * 1024;
        byte[] event = new byte[limit];
        java.util.Arrays.fill(event, (byte) ' ');
        byte[] json = "{\"authCode\":\"pia:1\"}".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(json, 0, event, 0, json.length);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        handler.handleRequest(new java.io.ByteArrayInputStream(event), out, cloud.context());

        // read whole, then refused by the direct path as a body over 64 KiB, the Alipay code untouched
        assertThat(EntryPoint.parse(out.toByteArray()).at("/error/code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(EntryPoint.parse(out.toByteArray()).has("statusCode")).isFalse();
        assertThat(cloud.alipay.isUsed("pia:1")).isFalse();
    }
}
