package com.fcminiapp.session;

import com.fcminiapp.localcloud.runtime.LocalContext;
import com.fcminiapp.localcloud.testing.StartedThreads;
import com.fcminiapp.localcloud.testing.TestContexts;
import com.fcminiapp.localcloud.testing.MutableClock;
import com.alicloud.openservices.tablestore.model.Row;
import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.config.ConfigException;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.session.SessionIds;
import com.fcminiapp.session.sts.InvokePolicy;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.sts.StsStandIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Login, refresh and logout end to end: each entry point, the real SDKs, the local stand-ins; and FC's PreStop ending
 * every thread the instance's clients started.
 */
class SessionFunctionTest {

    private SessionCloud cloud;

    @BeforeEach
    void start() {
        cloud = new SessionCloud();
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    private EntryPoint.Driver start(EntryPoint entryPoint) {
        return entryPoint.start(cloud.environment(), Clock.systemUTC());
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void loginRefreshLogoutWorkThroughEveryEntryPoint(EntryPoint entryPoint) {
        EntryPoint.Driver fn = start(entryPoint);
        LocalContext context = cloud.context();

        EntryPoint.Reply login = fn.post(context, "{\"authCode\":\"alice:1\"}");
        assertThat(login.status).as(login.toString()).isEqualTo(200);
        JsonNode body = login.json;
        String sessionId = body.get("sessionId").asText();
        assertThat(SessionIds.isWellFormed(sessionId)).isTrue();
        assertThat(body.get("userId").asText()).isEqualTo(cloud.alipay.uidFor("alice"));
        Instant expiresAt = Instant.parse(body.get("expiresAt").asText());
        assertThat(expiresAt).isBetween(Instant.now().plus(Duration.ofDays(7)).minusSeconds(60),
                Instant.now().plus(Duration.ofDays(7)).plusSeconds(1));
        JsonNode sts = body.get("sts");
        assertThat(sts.get("AccessKeyId").asText()).startsWith("STS.");
        assertThat(sts.get("AccessKeySecret").asText()).isNotEmpty();
        assertThat(sts.get("SecurityToken").asText()).isNotEmpty();
        assertThat(sts.get("Expiration").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(cloud.registry.find(sts.get("AccessKeyId").asText())).isPresent();

        EntryPoint.Reply refresh = fn.post(context, "{\"action\":\"refresh\",\"sessionId\":\"" + sessionId + "\"}");
        assertThat(refresh.status).as(refresh.toString()).isEqualTo(200);
        assertThat(refresh.json.get("sessionId").asText()).isEqualTo(sessionId);
        assertThat(refresh.json.get("expiresAt").asText()).isEqualTo(body.get("expiresAt").asText());
        assertThat(refresh.json.get("userId").asText()).isEqualTo(body.get("userId").asText());
        assertThat(refresh.json.at("/sts/AccessKeyId").asText())
                .startsWith("STS.").isNotEqualTo(sts.get("AccessKeyId").asText());

        EntryPoint.Reply logout = fn.post(context, "{\"action\":\"logout\",\"sessionId\":\"" + sessionId + "\"}");
        assertThat(logout.status).isEqualTo(200);
        assertThat(logout.json.toString()).isEqualTo("{\"loggedOut\":true}");
        assertThat(cloud.sessionRows()).isEmpty();

        EntryPoint.Reply afterLogout = fn.post(context,
                "{\"action\":\"refresh\",\"sessionId\":\"" + sessionId + "\"}");
        assertThat(afterLogout.status).isEqualTo(401);
        assertThat(afterLogout.errorCode()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void secondLoginOfTheSameUserGetsANewSession() {
        EntryPoint.Driver fn = start(EntryPoint.INVOKE);
        JsonNode first = fn.post(cloud.context(), "{\"authCode\":\"bob:1\"}").json;
        JsonNode second = fn.post(cloud.context(), "{\"authCode\":\"bob:2\"}").json;

        assertThat(second.get("userId").asText()).isEqualTo(first.get("userId").asText());
        assertThat(second.get("sessionId").asText()).isNotEqualTo(first.get("sessionId").asText());
        assertThat(cloud.sessionRows()).hasSize(2);
    }

    @Test
    void clientSentIdentityFieldsAtLoginAreIgnored() {
        EntryPoint.Driver fn = start(EntryPoint.INVOKE);
        JsonNode answer = fn.post(cloud.context(),
                "{\"authCode\":\"carol:1\",\"uid\":\"mallory\",\"userId\":\"mallory\",\"sessionId\":\"x\"}").json;

        assertThat(answer.get("userId").asText()).isEqualTo(cloud.alipay.uidFor("carol"));
        assertThat(cloud.sessionRows()).singleElement()
                .satisfies(row -> assertThat(row.getLatestColumn("uid").getValue().asString())
                        .isEqualTo(cloud.alipay.uidFor("carol")));
    }

    @Test
    void replayedAuthCodeIsRejectedAndLeavesNoRow() {
        EntryPoint.Driver fn = start(EntryPoint.INVOKE);
        assertThat(fn.post(cloud.context(), "{\"authCode\":\"dave:1\"}").status).isEqualTo(200);
        List<Row> before = cloud.sessionRows();

        EntryPoint.Reply replay = fn.post(cloud.context(), "{\"authCode\":\"dave:1\"}");

        assertThat(replay.status).isEqualTo(401);
        assertThat(replay.errorCode()).isEqualTo("AUTH_CODE_REJECTED");
        assertThat(replay.json.at("/error/message").asText()).contains("authCode");
        assertThat(replay.json.at("/error/requestId").asText()).isNotEmpty();
        assertThat(cloud.sessionRows()).hasSameSizeAs(before);
    }

    @Test
    void unknownAuthCodeIsRejected() {
        EntryPoint.Reply reply = start(EntryPoint.INVOKE).post(cloud.context(), "{\"authCode\":\"no-colon-here\"}");

        assertThat(reply.errorCode()).isEqualTo("AUTH_CODE_REJECTED");
        assertThat(cloud.sessionRows()).isEmpty();
    }

    @Test
    void stsIsGivenTheExactPolicyDurationAndRoleSessionName() {
        start(EntryPoint.INVOKE).post(cloud.context(), "{\"authCode\":\"erin:1\"}");

        assertThat(cloud.sts.assumeRoleRequests()).singleElement().satisfies(call -> {
            assertThat(call.roleArn()).isEqualTo(cloud.invokeRoleArn());
            assertThat(call.durationSeconds()).isEqualTo(3600);
            assertThat(call.roleSessionName()).isEqualTo("u-" + cloud.alipay.uidFor("erin"));
            assertThat(call.policy()).isEqualTo("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
                    + "\"Action\":[\"fc:InvokeFunction\"],\"Resource\":["
                    + "\"acs:fc:cn-hangzhou:1234567890123456:services/fc-miniapp/functions/db\","
                    + "\"acs:fc:cn-hangzhou:1234567890123456:functions/db\"]}]}");
            assertThat(call.policy()).isEqualTo(InvokePolicy.forDbFunction(SessionCloud.REGION,
                    SessionCloud.ACCOUNT_ID, "fc-miniapp", "db"));
            // signed with the function's own execution credentials, token included
            assertThat(call.callerAccessKeyId()).isEqualTo(cloud.executionKey.accessKeyId);
        });
    }

    @Test
    void stsIsGivenTheCallableFunctionsOfTheConfigurationAfterTheDbFunction() {
        var env = cloud.environment();
        env.put("CALLABLE_FUNCTIONS", "fc-miniapp-checkin/checkin, leaderboard");
        EntryPoint.INVOKE.start(env, Clock.systemUTC()).post(cloud.context(), "{\"authCode\":\"erin:3\"}");

        assertThat(cloud.sts.assumeRoleRequests()).singleElement().satisfies(call -> assertThat(call.policy())
                .isEqualTo("{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":[\"fc:InvokeFunction\"],\"Resource\":["
                        + "\"acs:fc:cn-hangzhou:1234567890123456:services/fc-miniapp/functions/db\","
                        + "\"acs:fc:cn-hangzhou:1234567890123456:functions/db\","
                        + "\"acs:fc:cn-hangzhou:1234567890123456:services/fc-miniapp-checkin/functions/checkin\","
                        + "\"acs:fc:cn-hangzhou:1234567890123456:functions/checkin\","
                        + "\"acs:fc:cn-hangzhou:1234567890123456:functions/leaderboard\"]}]}"));
    }

    @Test
    void tooManyCallableFunctionsForStsStopTheInitializerNamingTheVariable() {
        var env = cloud.environment();
        StringBuilder callables = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            callables.append(i == 0 ? "" : ",").append("fc-miniapp-app").append(i).append("/app").append(i);
        }
        env.put("CALLABLE_FUNCTIONS", callables.toString());

        assertThatThrownBy(() -> new SessionInvokeHandler(env).initialize(cloud.context()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid function configuration: CALLABLE_FUNCTIONS: with its 20 functions")
                .hasMessageContaining("over the 2048");
        assertThat(cloud.sts.assumeRoleRequests()).isEmpty();
    }

    @Test
    void stsDurationFollowsConfiguration() {
        var env = cloud.environment();
        env.put("STS_DURATION_SECONDS", "900");
        EntryPoint.INVOKE.start(env, Clock.systemUTC()).post(cloud.context(), "{\"authCode\":\"erin:2\"}");

        assertThat(cloud.sts.assumeRoleRequests()).singleElement()
                .satisfies(call -> assertThat(call.durationSeconds()).isEqualTo(900));
    }

    @Test
    void aRotatedExecutionKeyIsUsedFromTheNextInvocationOn() {
        EntryPoint.Driver fn = start(EntryPoint.INVOKE);
        fn.post(cloud.context(), "{\"authCode\":\"frank:1\"}");
        CredentialRegistry.Credential rotated = cloud.registry.issueTemporary(
                "acs:ram::" + SessionCloud.ACCOUNT_ID + ":role/fc-miniapp-exec", "fc-session", null, Duration.ofHours(1));

        EntryPoint.Reply reply = fn.post(TestContexts.create(rotated), "{\"authCode\":\"frank:2\"}");

        assertThat(reply.status).isEqualTo(200);
        assertThat(cloud.sts.assumeRoleRequests()).extracting(StsStandIn.AssumeRoleCall::callerAccessKeyId)
                .containsExactly(cloud.executionKey.accessKeyId, rotated.accessKeyId);
    }

    @Test
    void sessionRowHoldsTheHashOfTheSessionIdNeverTheId() {
        JsonNode answer = start(EntryPoint.INVOKE).post(cloud.context(), "{\"authCode\":\"gina:1\"}").json;
        String sessionId = answer.get("sessionId").asText();

        Row row = cloud.sessionRows().get(0);
        assertThat(row.getPrimaryKey().getPrimaryKeyColumn("id").getValue().asString())
                .isEqualTo(SessionIds.hash(sessionId)).hasSize(64).doesNotContain(sessionId);
        assertThat(row.toString()).doesNotContain(sessionId);
        assertThat(row.getLatestColumn("uid").getValue().asString()).isEqualTo(cloud.alipay.uidFor("gina"));
        assertThat(row.getLatestColumn("expiresAt").getValue().asLong() - row.getLatestColumn("createdAt")
                .getValue().asLong()).isEqualTo(Duration.ofDays(7).toMillis());
    }

    @Test
    void logsHoldNoSessionIdKeyOrToken() {
        EntryPoint.Driver fn = start(EntryPoint.INVOKE);
        List<String> logLines = new java.util.concurrent.CopyOnWriteArrayList<>();
        LocalContext context = TestContexts.create(cloud.executionKey, logLines);
        JsonNode login = fn.post(context, "{\"authCode\":\"hank:1\"}").json;
        String sessionId = login.get("sessionId").asText();
        fn.post(context, "{\"authCode\":\"hank:1\"}");
        fn.post(context, "{\"action\":\"refresh\",\"sessionId\":\"" + sessionId + "\"}");
        cloud.sts.faults().fail();
        fn.post(context, "{\"action\":\"refresh\",\"sessionId\":\"" + sessionId + "\"}");
        fn.post(context, "{\"action\":\"logout\",\"sessionId\":\"" + sessionId + "\"}");
        fn.post(context, "{not json");

        String logs = String.join("\n", logLines);
        assertThat(logLines).isNotEmpty();
        assertThat(logs).doesNotContain(sessionId, SessionIds.hash(sessionId),
                login.at("/sts/AccessKeySecret").asText(), login.at("/sts/SecurityToken").asText(),
                cloud.executionKey.accessKeySecret, cloud.executionKey.securityToken,
                cloud.appKeys.privateKeyPkcs8Base64().substring(0, 40), "hank:1");
        assertThat(logs).doesNotContain("Exception:", "\tat ");
    }

    @Test
    void sessionExpiresAfterItsLifetime() {
        MutableClock clock = new MutableClock(Instant.now());
        EntryPoint.Driver fn = EntryPoint.INVOKE.start(cloud.environment(), clock);
        String sessionId = fn.post(cloud.context(), "{\"authCode\":\"ivy:1\"}").json.get("sessionId").asText();

        clock.advance(Duration.ofDays(7).plusSeconds(1));
        EntryPoint.Reply reply = fn.post(cloud.context(), "{\"action\":\"refresh\",\"sessionId\":\"" + sessionId + "\"}");

        assertThat(reply.errorCode()).isEqualTo("UNAUTHENTICATED");
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"901, 200", "900, 200", "899, 401"})
    void refreshNeedsAtLeastNineHundredSecondsOfSessionLeft(long secondsLeft, int status) {
        Instant start = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        MutableClock clock = new MutableClock(start);
        EntryPoint.Driver fn = EntryPoint.INVOKE.start(cloud.environment(), clock);
        String sessionId = fn.post(cloud.context(), "{\"authCode\":\"jack:1\"}").json.get("sessionId").asText();
        Instant expiresAt = start.plus(Duration.ofDays(7));

        clock.set(expiresAt.minusSeconds(secondsLeft));
        EntryPoint.Reply reply = fn.post(cloud.context(), "{\"action\":\"refresh\",\"sessionId\":\"" + sessionId + "\"}");

        assertThat(reply.status).as(reply.toString()).isEqualTo(status);
        if (status == 200) {
            // the credentials never outlive the session
            assertThat(cloud.sts.assumeRoleRequests()).hasSize(2);
            assertThat(cloud.sts.assumeRoleRequests().get(1).durationSeconds()).isEqualTo(secondsLeft);
        } else {
            assertThat(reply.errorCode()).isEqualTo("UNAUTHENTICATED");
            assertThat(cloud.sts.assumeRoleRequests()).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = EntryPoint.class, names = {"HTTP_FC2", "HTTP_FC3"})
    void sessionAnswersOverHttpAreNeverCached(EntryPoint entryPoint) {
        EntryPoint.Driver fn = start(entryPoint);
        EntryPoint.Reply login = fn.post(cloud.context(), "{\"authCode\":\"nora:1\"}");
        String sessionId = login.json.get("sessionId").asText();
        EntryPoint.Reply refresh = fn.post(cloud.context(), "{\"action\":\"refresh\",\"sessionId\":\"" + sessionId + "\"}");
        EntryPoint.Reply refused = fn.post(cloud.context(), "{\"authCode\":\"nora:1\"}");
        EntryPoint.Reply logout = fn.post(cloud.context(), "{\"action\":\"logout\",\"sessionId\":\"" + sessionId + "\"}");

        for (EntryPoint.Reply reply : List.of(login, refresh, refused, logout)) {
            assertThat(reply.headers.get("Cache-Control")).as(reply.toString()).isEqualTo("no-store");
            assertThat(reply.headers.get("Content-Type")).isEqualTo("application/json; charset=utf-8");
        }
        assertThat(List.of(login.status, refresh.status, refused.status, logout.status)).containsExactly(200, 200, 401, 200);
    }

    @Test
    void logoutWithoutASessionIdIsUnauthenticatedAndRemovesNothing() {
        EntryPoint.Driver fn = start(EntryPoint.INVOKE);
        fn.post(cloud.context(), "{\"authCode\":\"olga:1\"}");

        for (String body : List.of("{\"action\":\"logout\"}", "{\"action\":\"logout\",\"sessionId\":null}")) {
            EntryPoint.Reply reply = fn.post(cloud.context(), body);
            assertThat(reply.errorCode()).as(body).isEqualTo("UNAUTHENTICATED");
            assertThat(reply.json.at("/error/message").asText()).isEqualTo(ApiException.SESSION_INVALID_MESSAGE);
        }
        assertThat(cloud.sessionRows()).hasSize(1);
    }

    @Test
    void everySessionFailureGetsTheSameBody() {
        MutableClock clock = new MutableClock(Instant.now());
        EntryPoint.Driver fn = EntryPoint.INVOKE.start(cloud.environment(), clock);
        String expired = fn.post(cloud.context(), "{\"authCode\":\"kim:1\"}").json.get("sessionId").asText();
        String loggedOut = fn.post(cloud.context(), "{\"authCode\":\"kim:2\"}").json.get("sessionId").asText();
        fn.post(cloud.context(), "{\"action\":\"logout\",\"sessionId\":\"" + loggedOut + "\"}");
        clock.advance(Duration.ofDays(8));
        // live but for its revocation (its account's deletion has begun)
        String revoked = fn.post(cloud.context(), "{\"authCode\":\"kim:4\"}").json.get("sessionId").asText();
        cloud.revoke(revoked);
        String live = fn.post(cloud.context(), "{\"authCode\":\"kim:3\"}").json.get("sessionId").asText();
        assertThat(live).isNotEmpty();

        List<String> bodies = List.of("{\"action\":\"refresh\"}",
                        "{\"action\":\"refresh\",\"sessionId\":\"" + SessionIds.newId() + "\"}",
                        "{\"action\":\"refresh\",\"sessionId\":\"short\"}",
                        "{\"action\":\"refresh\",\"sessionId\":\"" + expired + "\"}",
                        "{\"action\":\"refresh\",\"sessionId\":\"" + loggedOut + "\"}",
                        "{\"action\":\"refresh\",\"sessionId\":\"" + revoked + "\"}").stream()
                .map(request -> fn.post(cloud.context(), request).json.get("error"))
                .map(error -> error.get("code").asText() + "|" + error.get("message").asText())
                .collect(Collectors.toList());

        assertThat(bodies).hasSize(6).allMatch(b -> b.startsWith("UNAUTHENTICATED|")).containsOnly(bodies.get(0));
    }

    @Test
    void logoutOfAnUnknownOrExpiredSessionStillSucceeds() {
        EntryPoint.Driver fn = start(EntryPoint.INVOKE);

        assertThat(fn.post(cloud.context(), "{\"action\":\"logout\",\"sessionId\":\"" + SessionIds.newId() + "\"}")
                .json.toString()).isEqualTo("{\"loggedOut\":true}");
        assertThat(fn.post(cloud.context(), "{\"action\":\"logout\",\"sessionId\":\"not-even-an-id\"}")
                .json.toString()).isEqualTo("{\"loggedOut\":true}");
    }

    @ParameterizedTest
    @EnumSource(value = EntryPoint.class, names = {"INVOKE_FC2_HANDLER", "INVOKE_FC3_HANDLER"})
    void preStopEndsEveryThreadTheInstanceStartedAndALoginAfterItIsRefusedAsRetryable(EntryPoint deployed)
            throws Exception {
        SessionHandlerSupport handler = deployed == EntryPoint.INVOKE_FC2_HANDLER
                ? new SessionHttpHandler(cloud.environment(), Clock.systemUTC())
                : new SessionHttpEventHandler(cloud.environment(), Clock.systemUTC());
        EntryPoint.Driver fn = EntryPoint.invoking((com.aliyun.fc.runtime.StreamRequestHandler) handler);
        LocalContext context = cloud.context();
        Set<Thread> started = StartedThreads.during(() -> {
            handler.initialize(context);
            EntryPoint.Reply login = fn.post(context, "{\"authCode\":\"alice:1\"}");
            assertThat(login.status).as(login.toString()).isEqualTo(200);
        });
        assertThat(started).as("the instance's SDK threads").isNotEmpty();

        handler.preStop(context);
        handler.preStop(context);

        assertThat(StartedThreads.aliveAfter(started, Duration.ofSeconds(10))).isEmpty();
        EntryPoint.Reply after = fn.post(context, "{\"authCode\":\"bob:1\"}");
        assertThat(after.status).isEqualTo(503);
        assertThat(after.errorCode()).isEqualTo("UPSTREAM_UNAVAILABLE");
    }
}
