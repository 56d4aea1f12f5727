package com.fcminiapp.kit;

import com.alicloud.openservices.tablestore.TableStoreException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.kit.testing.KitTestCloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** One error seam: the function's ApiException passes through, anything else is INTERNAL without detail. */
class ErrorSeamTest {

    static final KitTestCloud cloud = KitTestCloud.start();
    static final String SECRET = "AccessKeySecret=hunter2-LTAI5tSecret";
    static final String INTERNAL = "Internal error; retry later or report the requestId.";

    @AfterAll
    static void stop() {
        cloud.close();
    }

    private static JsonNode call(AppFunction function) {
        return cloud.invoke(TestHandler.of(cloud.env(), cloud.clock(), function), cloud.event(cloud.login("u"), "{}"));
    }

    @Test
    void anApiExceptionPassesThroughWithItsCodeAndMessage() {
        JsonNode notFound = call((caller, input) -> {
            throw AppErrors.notFound("No check-in today.");
        });
        JsonNode denied = call((caller, input) -> {
            throw AppErrors.of(ErrorCode.PERMISSION_DENIED, "Only the owner may do this.");
        });

        assertThat(notFound.at("/error/code").asText()).isEqualTo("NOT_FOUND");
        assertThat(notFound.at("/error/message").asText()).isEqualTo("No check-in today.");
        assertThat(notFound.at("/error/requestId").asText()).hasSize(36);
        assertThat(denied.at("/error/code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(AppErrors.invalid("x").code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertThat(AppErrors.conflict("x").code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(AppErrors.denied("x").code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
    }

    @Test
    void anyOtherFailureIsInternalWithTheRequestIdAndNoSecretInTheAnswerOrTheLog() {
        int logged = cloud.logLines().size();
        JsonNode runtime = call((caller, input) -> {
            throw new IllegalStateException(SECRET);
        });
        JsonNode sdk = call((caller, input) -> {
            throw new TableStoreException("denied for " + SECRET, null, "OTSAuthFailed", "req-" + SECRET, 403);
        });
        JsonNode checked = call((caller, input) -> {
            throw new java.io.IOException(SECRET);
        });
        JsonNode codeless = call((caller, input) -> {
            throw new ApiException(null, SECRET);
        });

        for (JsonNode answer : List.of(runtime, sdk, checked, codeless)) {
            assertThat(answer.at("/error/code").asText()).isEqualTo("INTERNAL");
            assertThat(answer.at("/error/message").asText()).isEqualTo(INTERNAL);
            assertThat(answer.at("/error/requestId").asText()).hasSize(36);
            assertThat(answer.toString()).doesNotContain("hunter2", "\tat ");
        }
        List<String> lines = cloud.logLines().subList(logged, cloud.logLines().size());
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("app failed: INTERNAL (cause TableStoreException OTSAuthFailed)"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("app failed: INTERNAL (cause IllegalStateException)"));
        assertThat(String.join("\n", lines)).doesNotContain("hunter2").doesNotContain("\tat ");
    }

    @Test
    void aMalformedOrNonObjectEventIsInvalidArgumentAndTheFunctionNeverRuns() {
        AtomicInteger ran = new AtomicInteger();
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), (caller, input) -> ran.incrementAndGet());

        for (String event : List.of("not json", "[{\"sid\":\"x\"}]", "\"sid\"", "{\"sid\":", "", "{} {}",
                "{\"sid\":\"a\",\"sid\":\"b\"}")) {
            JsonNode answer = cloud.invoke(handler, event);
            assertThat(answer.at("/error/code").asText()).as(event).isEqualTo("INVALID_ARGUMENT");
        }
        assertThat(ran).hasValue(0);
    }

    @Test
    void anEventOverSixMegabytesIsRefusedAndOneAtTheLimitIsRead() {
        AtomicInteger ran = new AtomicInteger();
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), (caller, input) -> ran.incrementAndGet());
        String sid = cloud.login("big");
        String head = "{\"sid\":\"" + sid + "\",\"input\":\"";
        int room = AppHandler.MAX_EVENT_BYTES - head.length() - 2;
        byte[] atLimit = (head + "x".repeat(room) + "\"}").getBytes(StandardCharsets.UTF_8);
        byte[] overLimit = (head + "x".repeat(room + 1) + "\"}").getBytes(StandardCharsets.UTF_8);

        JsonNode read = cloud.invoke(handler, atLimit);
        JsonNode refused = cloud.invoke(handler, overLimit);

        assertThat(atLimit).hasSize(6 * 1024 * 1024);
        assertThat(read.get("data").asInt()).isEqualTo(1);
        assertThat(refused.at("/error/code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(ran).hasValue(1);
    }
}
