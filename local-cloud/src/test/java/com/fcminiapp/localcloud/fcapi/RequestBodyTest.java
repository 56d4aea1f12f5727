package com.fcminiapp.localcloud.fcapi;

import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;
import com.fcminiapp.localcloud.testing.Fc2Signing;
import com.fcminiapp.localcloud.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An invocation whose headers already show it cannot pass (no or malformed Authorization, an unknown key, a stale
 * date, a wrong signature or token, a key that may not call the function) is refused before local-cloud reads its
 * body: the answer comes while the client has not sent one byte of it, so a flood of large unauthenticated bodies
 * is never buffered.
 */
class RequestBodyTest {

    /** The largest event FC accepts: what a flood sends each time. */
    private static final long LARGE = FcApiServer.MAX_EVENT_BYTES;
    /** A refusal before the body comes at once; a server waiting for the body never answers within it. */
    private static final int ANSWER_WITHIN_MS = 10_000;

    @RegisterExtension
    static final ApiFixture api = new ApiFixture();

    private static String path(String function) {
        return "/2016-08-15/services/svc/functions/" + function + "/invocations";
    }

    /** Headers fc2 sends for {@code function}, signed with {@code key} at {@code date} (then changed by the case). */
    private static Map<String, String> signed(String function, Credential key, Instant date) {
        Map<String, String> headers = new LinkedHashMap<>(Fc2Signing.invokeHeaders(path(function),
                new byte[0], ApiFixture.ACCOUNT, key.accessKeyId, key.accessKeySecret, key.securityToken, date));
        headers.put("Host", api.loopbackHost());
        return headers;
    }

    private static Map<String, String> headersFor(String problem) {
        Credential key = api.stsKey();
        Instant now = Clock.systemUTC().instant();
        Map<String, String> headers = signed("db", key, now);
        switch (problem) {
            case "no-authorization": headers.remove("authorization"); break;
            case "malformed-authorization": headers.put("authorization", "Bearer something"); break;
            case "unknown-key": headers.put("authorization", "FC LTAInobody:c2ln"); break;
            case "stale-date": headers = signed("db", key, now.minus(Duration.ofMinutes(20))); break;
            case "no-date": headers.remove("date"); break;
            case "wrong-secret": headers = signed("db", new Credential(key.accessKeyId, "not-it", key.securityToken),
                    now); break;
            case "no-token": headers = signed("db", new Credential(key.accessKeyId, key.accessKeySecret, null), now);
                break;
            case "function-not-allowed": headers = signed("session", key, now); break;
            default: throw new IllegalArgumentException(problem);
        }
        return headers;
    }

    private static RawHttp.Response headOnly(String function, Map<String, String> headers) throws Exception {
        return RawHttp.headOnly(new InetSocketAddress("127.0.0.1", api.server.port()), "POST", path(function),
                headers, LARGE, ANSWER_WITHIN_MS);
    }

    @ParameterizedTest
    @CsvSource({"no-authorization, 403, AccessDenied", "malformed-authorization, 400, InvalidArgument",
            "unknown-key, 403, InvalidAccessKeyID", "stale-date, 403, RequestTimeTooSkewed",
            "no-date, 400, InvalidArgument", "wrong-secret, 403, SignatureNotMatch",
            "no-token, 403, InvalidSecurityToken", "function-not-allowed, 403, AccessDenied"})
    void anInvocationWhoseHeadersCannotPassIsRefusedBeforeItsBodyIsSent(String problem, int status, String code)
            throws Exception {
        String function = problem.equals("function-not-allowed") ? "session" : "db";
        RawHttp.Response r = headOnly(function, headersFor(problem));
        assertThat(r.status).as(r.body).isEqualTo(status);
        assertThat(r.body).contains("\"ErrorCode\":\"" + code + "\"");
    }

    @Test
    void aHundredConcurrentLargeUnauthenticatedBodiesAreRefusedUnreadAndARealInvocationStillWorks()
            throws Exception {
        api.server.bodies().resetPeak();
        ExecutorService pool = Executors.newFixedThreadPool(100);
        try {
            List<Future<RawHttp.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String problem = i % 2 == 0 ? "no-authorization" : "unknown-key";
                answers.add(pool.submit(() -> headOnly("db", headersFor(problem))));
            }
            for (Future<RawHttp.Response> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS).status).isEqualTo(403);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(api.server.bodies().peak()).as("bytes of those bodies held at once").isZero();
        RawHttp.Response real = api.fc2Invoke(api.loopbackHost(), "db", "{\"op\":\"get\"}", api.stsKey());
        assertThat(real.status).as(real.body).isEqualTo(200);
        assertThat(real.body).contains("\"eventLength\":12");
        assertThat(api.server.bodies().peak()).as("the real one's body, held while it ran").isEqualTo(12);
    }
}
