package com.fcminiapp.localcloud.fcapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;
import com.fcminiapp.localcloud.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /_admin/invocations}: every invocation with its request id, function, op and status, for the admin
 * token only, as a long poll that answers at once when newer ones exist and waits no longer than asked.
 */
class InvocationLogEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ApiFixture api = new ApiFixture();

    private static RawHttp.Response read(String query) throws IOException {
        return api.adminGet("/_admin/invocations" + query);
    }

    private static JsonNode entryOf(String requestId) throws IOException {
        JsonNode page = JSON.readTree(read("?after=0").body);
        for (JsonNode entry : page.path("invocations")) {
            if (entry.path("requestId").asText().equals(requestId)) {
                return entry;
            }
        }
        throw new AssertionError("no invocation " + requestId + " in " + page);
    }

    @Test
    void anInvocationIsLoggedWithTheRequestIdItsCallerSawItsOpAndStatus() throws Exception {
        RawHttp.Response invoked = api.fc2Invoke(api.loopbackHost(), "db",
                "{\"sid\":\"SECRET-SESSION-ID\",\"op\":\"get\",\"id\":\"a\"}", api.stsKey());
        assertThat(invoked.status).isEqualTo(200);
        String requestId = invoked.headers.get("x-fc-request-id");
        JsonNode entry = entryOf(requestId);
        assertThat(entry.path("service").asText()).isEqualTo("svc");
        assertThat(entry.path("function").asText()).isEqualTo("db");
        assertThat(entry.path("op").asText()).isEqualTo("get");
        assertThat(entry.path("status").asInt()).isEqualTo(200);
        assertThat(entry.path("error").isNull()).isTrue();
        assertThat(entry.path("durationMs").asLong()).isBetween(0L, 30_000L);
        assertThat(entry.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(read("?after=0").body).doesNotContain("SECRET-SESSION-ID");
    }

    @Test
    void aRefusedInvocationIsLoggedWithItsFcStatusAndErrorCodeButNotWhatItsUnreadBodyClaims() throws Exception {
        Credential key = api.stsKey();
        Credential forged = new Credential(key.accessKeyId, "not-the-secret", key.securityToken);
        RawHttp.Response refused = api.fc2Invoke(api.loopbackHost(), "db", "{\"op\":\"put\"}", forged);
        assertThat(refused.status).isEqualTo(403);
        JsonNode entry = entryOf(refused.headers.get("x-fc-request-id"));
        assertThat(entry.path("status").asInt()).isEqualTo(403);
        assertThat(entry.path("error").asText()).isEqualTo("SignatureNotMatch");
        assertThat(entry.path("function").asText()).isEqualTo("db");
        assertThat(entry.path("unauthenticated").asBoolean()).isTrue();
        assertThat(entry.path("op").isNull()).as("the body was never read").isTrue();
    }

    @Test
    void aKnownCallersInvocationIsNotMarkedUnauthenticated() throws Exception {
        RawHttp.Response invoked = api.fc2Invoke(api.loopbackHost(), "db", "{\"op\":\"list\"}", api.stsKey());
        assertThat(entryOf(invoked.headers.get("x-fc-request-id")).path("unauthenticated").asBoolean()).isFalse();
    }

    @Test
    void aHttpTriggerCallIsLoggedWithItsAction() throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("Host", api.loopbackHost());
        headers.put("Content-Type", "application/json");
        RawHttp.Response answered = api.request("POST", "/2016-08-15/proxy/svc/session/", headers,
                "{\"action\":\"logout\",\"sessionId\":\"SECRET\"}");
        assertThat(answered.status).isEqualTo(200);
        JsonNode entry = entryOf(answered.headers.get("x-fc-request-id"));
        assertThat(entry.path("function").asText()).isEqualTo("session");
        assertThat(entry.path("op").asText()).isEqualTo("logout");
    }

    @Test
    void theLogNeedsTheAdminToken() throws Exception {
        String token = api.server.adminToken();
        for (String sent : new String[] {null, "", token.substring(1), token + "A", new AdminGuard().token()}) {
            RawHttp.Response r = api.adminRequest("GET", "/_admin/invocations",
                    ApiFixture.adminHeaders(api.adminHost(), sent), "");
            assertThat(r.status).as("token %s", sent).isEqualTo(403);
            assertThat(r.body).contains("\"ErrorCode\":\"AccessDenied\"").contains("X-Local-Cloud-Token")
                    .doesNotContain("invocations").doesNotContain(token);
        }
        RawHttp.Response ok = read("");
        assertThat(ok.status).isEqualTo(200);
        assertThat(ok.headers.get("content-type")).isEqualTo("application/json; charset=utf-8");
        assertThat(ok.headers.get("cache-control")).isEqualTo("no-store");
    }

    @Test
    void theLogWithTheTokenAddressedToAnotherHostIsRefused() throws Exception {
        RawHttp.Response r = api.adminRequest("GET", "/_admin/invocations",
                ApiFixture.adminHeaders("evil.example:" + api.server.adminPort(), api.server.adminToken()), "");
        assertThat(r.status).isEqualTo(403);
        assertThat(r.body).contains("loopback host").doesNotContain("invocations");
    }

    @Test
    void theLongPollAnswersAtOnceWhenNewerOnesExist() throws Exception {
        api.fc2Invoke(api.loopbackHost(), "db", "{\"op\":\"list\"}", api.stsKey());
        long started = System.nanoTime();
        RawHttp.Response r = read("?after=0&waitSeconds=25");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(r.status).isEqualTo(200);
        assertThat(JSON.readTree(r.body).path("invocations").size()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theLongPollWaitsNoLongerThanAskedWhenNothingIsNewer() throws Exception {
        long last = JSON.readTree(read("").body).path("last").asLong();
        long started = System.nanoTime();
        RawHttp.Response r = read("?after=" + last + "&waitSeconds=1");
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        JsonNode page = JSON.readTree(r.body);
        assertThat(page.path("invocations").size()).isZero();
        assertThat(page.path("last").asLong()).isEqualTo(last);
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThan(Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"?waitSeconds=26", "?waitSeconds=-1", "?waitSeconds=x", "?after=-1", "?after=1.5",
            "?after=99999999999999999999", "?after=1&after=2"})
    void aWaitOver25SecondsOrAMalformedNumberIsRefused(String query) throws Exception {
        RawHttp.Response r = read(query);
        assertThat(r.status).isEqualTo(400);
        assertThat(r.body).contains("\"ErrorCode\":\"InvalidArgument\"").contains("whole number");
    }

    @Test
    void otherMethodsAreNotAllowed() throws Exception {
        Map<String, String> headers = ApiFixture.adminHeaders(api.adminHost(), api.server.adminToken());
        headers.put("Content-Type", "application/json");
        assertThat(api.adminRequest("POST", "/_admin/invocations", headers, "{}").status).isEqualTo(405);
        assertThat(api.adminRequest("DELETE", "/_admin/invocations", headers, "").status).isEqualTo(405);
    }
}
