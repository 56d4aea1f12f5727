package com.fcminiapp.localcloud.standin.sts;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.auth.AlibabaCloudCredentials;
import com.aliyuncs.auth.BasicCredentials;
import com.aliyuncs.auth.BasicSessionCredentials;
import com.aliyuncs.auth.HmacSHA1Signer;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.exceptions.ServerException;
import com.aliyuncs.http.FormatType;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import com.aliyuncs.regions.ProductDomain;
import com.aliyuncs.sts.model.v20150401.AssumeRoleRequest;
import com.aliyuncs.sts.model.v20150401.AssumeRoleResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class StsStandInTest {

    private static final String ACCOUNT_ID = "1234567890123456";
    private static final String ROLE_ARN = "acs:ram::" + ACCOUNT_ID + ":role/miniapp-client";
    private static final String POLICY = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"fc:InvokeFunction\"],"
            + "\"Resource\":[\"acs:fc:cn-hangzhou:" + ACCOUNT_ID + ":services/miniapp/functions/db\"]}]}";

    private CredentialRegistry registry;
    private StsStandIn sts;
    private Credential executionKey;

    @BeforeEach
    void startStandIn() {
        registry = CredentialRegistry.inMemory();
        executionKey = registry.createPermanent("LTAI");
        sts = new StsStandIn(0, registry, ACCOUNT_ID).start();
    }

    @AfterEach
    void stopStandIn() {
        sts.close();
    }

    private static IAcsClient client(AlibabaCloudCredentials credentials) {
        return new DefaultAcsClient(DefaultProfile.getProfile("cn-hangzhou"), credentials);
    }

    private IAcsClient permanentClient() {
        return client(new BasicCredentials(executionKey.accessKeyId, executionKey.accessKeySecret));
    }

    private AssumeRoleRequest request(String roleArn, String sessionName, Long durationSeconds, String policy) {
        AssumeRoleRequest request = new AssumeRoleRequest();
        request.setSysEndpoint(sts.host());
        request.setSysProtocol(ProtocolType.HTTP);
        request.setRoleArn(roleArn);
        request.setRoleSessionName(sessionName);
        request.setDurationSeconds(durationSeconds);
        request.setPolicy(policy);
        return request;
    }

    private AssumeRoleRequest validRequest() {
        return request(ROLE_ARN, "user-0a1B", 3600L, POLICY);
    }

    private void assertRefused(IAcsClient client, AssumeRoleRequest request, String code) {
        assertThatThrownBy(() -> client.getAcsResponse(request))
                .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.getErrCode()).isEqualTo(code));
        assertThat(sts.assumeRoleRequests()).isEmpty();
    }

    @Test
    void assumeRoleWithPermanentKeyIssuesATemporaryKeyWithThePolicy() throws Exception {
        Instant before = Instant.now();

        AssumeRoleResponse response = permanentClient().getAcsResponse(validRequest());

        AssumeRoleResponse.Credentials issued = response.getCredentials();
        assertThat(issued.getAccessKeyId()).startsWith("STS.");
        assertThat(issued.getAccessKeySecret()).isNotBlank();
        assertThat(issued.getSecurityToken()).isNotBlank();
        assertThat(issued.getExpiration()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(Instant.parse(issued.getExpiration()))
                .isCloseTo(before.plusSeconds(3600), within(Duration.ofSeconds(5)));
        assertThat(response.getRequestId()).isNotBlank();
        assertThat(response.getAssumedRoleUser().getArn()).isEqualTo(ROLE_ARN + "/user-0a1B");
        assertThat(response.getAssumedRoleUser().getAssumedRoleId()).matches("\\d{19}:user-0a1B");

        Credential registered = registry.find(issued.getAccessKeyId()).orElseThrow();
        assertThat(registered.accessKeySecret).isEqualTo(issued.getAccessKeySecret());
        assertThat(registered.securityToken).isEqualTo(issued.getSecurityToken());
        assertThat(registered.policy).isEqualTo(POLICY);
        assertThat(registered.roleArn).isEqualTo(ROLE_ARN);
        assertThat(registered.roleSessionName).isEqualTo("user-0a1B");
        assertThat(registered.expiration).isEqualTo(Instant.parse(issued.getExpiration()));
    }

    @Test
    void acceptedCallsAreRecordedWithTheirParameters() throws Exception {
        AssumeRoleResponse response = permanentClient().getAcsResponse(request(ROLE_ARN, "alice", 1800L, POLICY));

        assertThat(sts.assumeRoleRequests()).singleElement().satisfies(call -> {
            assertThat(call.roleArn()).isEqualTo(ROLE_ARN);
            assertThat(call.roleSessionName()).isEqualTo("alice");
            assertThat(call.durationSeconds()).isEqualTo(1800L);
            assertThat(call.policy()).isEqualTo(POLICY);
            assertThat(call.callerAccessKeyId()).isEqualTo(executionKey.accessKeyId);
            assertThat(call.issuedAccessKeyId()).isEqualTo(response.getCredentials().getAccessKeyId());
        });
        assertThatThrownBy(() -> sts.assumeRoleRequests().clear()).isInstanceOf(UnsupportedOperationException.class);

        sts.clearAssumeRoleRequests();
        assertThat(sts.assumeRoleRequests()).isEmpty();
    }

    @Test
    void durationDefaultsTo3600AndPolicyIsOptional() throws Exception {
        AssumeRoleResponse response = permanentClient().getAcsResponse(request(ROLE_ARN, "bob", null, null));

        assertThat(sts.assumeRoleRequests()).singleElement().satisfies(call -> {
            assertThat(call.durationSeconds()).isEqualTo(3600L);
            assertThat(call.policy()).isNull();
        });
        assertThat(registry.find(response.getCredentials().getAccessKeyId()).orElseThrow().policy).isNull();
    }

    @Test
    void assumeRoleWithTemporaryKeyAndTokenSucceeds() throws Exception {
        Credential role = registry.issueTemporary("acs:ram::" + ACCOUNT_ID + ":role/fc-exec", "fc", null,
                Duration.ofHours(1));
        IAcsClient client = client(new BasicSessionCredentials(role.accessKeyId, role.accessKeySecret,
                role.securityToken));

        AssumeRoleResponse response = client.getAcsResponse(validRequest());

        assertThat(registry.find(response.getCredentials().getAccessKeyId())).isPresent();
        assertThat(sts.assumeRoleRequests()).singleElement()
                .satisfies(call -> assertThat(call.callerAccessKeyId()).isEqualTo(role.accessKeyId));
    }

    @Test
    void issuedKeyCanItselfCallStsWithItsToken() throws Exception {
        AssumeRoleResponse.Credentials issued = permanentClient().getAcsResponse(validRequest()).getCredentials();
        IAcsClient chained = client(new BasicSessionCredentials(issued.getAccessKeyId(),
                issued.getAccessKeySecret(), issued.getSecurityToken()));

        AssumeRoleResponse response = chained.getAcsResponse(validRequest());

        assertThat(response.getCredentials().getAccessKeyId()).isNotEqualTo(issued.getAccessKeyId());
    }

    @Test
    void unknownAccessKeyIsRefused() {
        assertRefused(client(new BasicCredentials("LTAInotRegistered", "secret")), validRequest(),
                "InvalidAccessKeyId.NotFound");
    }

    @Test
    void wrongSecretIsRefusedAndTheSdkReportsAnInvalidSecret() {
        // the real answer quotes the server's string to sign; when it equals the SDK's, the SDK blames the secret
        assertRefused(client(new BasicCredentials(executionKey.accessKeyId, "not-the-secret")), validRequest(),
                "SDK.InvalidAccessKeySecret");
    }

    @Test
    void temporaryKeyWithoutTokenIsRefused() {
        Credential role = registry.issueTemporary(ROLE_ARN, "fc", null, Duration.ofHours(1));

        assertRefused(client(new BasicCredentials(role.accessKeyId, role.accessKeySecret)), validRequest(),
                "MissingSecurityToken");
    }

    @Test
    void temporaryKeyWithAnotherKeysTokenIsRefused() {
        Credential role = registry.issueTemporary(ROLE_ARN, "fc", null, Duration.ofHours(1));
        Credential other = registry.issueTemporary(ROLE_ARN, "other", null, Duration.ofHours(1));

        assertRefused(client(new BasicSessionCredentials(role.accessKeyId, role.accessKeySecret,
                other.securityToken)), validRequest(), "InvalidSecurityToken.MismatchWithAccessKey");
    }

    @Test
    void malformedTokenIsRefused() {
        Credential role = registry.issueTemporary(ROLE_ARN, "fc", null, Duration.ofHours(1));

        assertRefused(client(new BasicSessionCredentials(role.accessKeyId, role.accessKeySecret, "garbage")),
                validRequest(), "InvalidSecurityToken.Malformed");
    }

    @Test
    void expiredTemporaryKeyIsRefused() {
        Credential expired = new Credential("STS.expiredKey0000000000001", "expiredSecret", "CAISexpiredToken");
        expired.expiration = Instant.now().minusSeconds(60);
        registry.register(expired);

        assertRefused(client(new BasicSessionCredentials(expired.accessKeyId, expired.accessKeySecret,
                expired.securityToken)), validRequest(), "InvalidSecurityToken.Expired");
    }

    @Test
    void timestampFarFromTheServiceClockIsRefused() {
        sts.close();
        registry = new CredentialRegistry(new MVStore.Builder().open(),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(20)));
        registry.register(executionKey);
        sts = new StsStandIn(0, registry, ACCOUNT_ID).start();

        assertRefused(permanentClient(), validRequest(), "InvalidTimeStamp.Expired");
    }

    @Test
    void replayedRequestIsRefusedForItsNonce() throws Exception {
        AssumeRoleRequest request = validRequest();
        com.aliyuncs.http.HttpRequest signed = request.signRequest(new HmacSHA1Signer(),
                new BasicCredentials(executionKey.accessKeyId, executionKey.accessKeySecret), FormatType.JSON,
                new ProductDomain("Sts", sts.host()));
        String url = signed.getSysUrl();

        HttpResponse<String> first = post(url);
        HttpResponse<String> replay = post(url);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(json(replay).get("Code").asText()).isEqualTo("SignatureNonceUsed");
        assertThat(sts.assumeRoleRequests()).hasSize(1);
    }

    @Test
    void tamperedRequestIsRefusedWithTheServersStringToSign() throws Exception {
        AssumeRoleRequest request = validRequest();
        com.aliyuncs.http.HttpRequest signed = request.signRequest(new HmacSHA1Signer(),
                new BasicCredentials(executionKey.accessKeyId, executionKey.accessKeySecret), FormatType.JSON,
                new ProductDomain("Sts", sts.host()));
        String tampered = signed.getSysUrl().replace("RoleSessionName=user-0a1B", "RoleSessionName=admin");
        assertThat(tampered).isNotEqualTo(signed.getSysUrl());

        HttpResponse<String> response = post(tampered);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode error = json(response);
        assertThat(error.get("Code").asText()).isEqualTo("SignatureDoesNotMatch");
        assertThat(error.get("Message").asText()).contains("server string to sign is:POST&%2F&")
                .contains("RoleSessionName%3Dadmin");
        assertThat(error.get("RequestId").asText()).isNotBlank();
        assertThat(error.get("HostId").asText()).isEqualTo("sts.aliyuncs.com");
        assertThat(sts.assumeRoleRequests()).isEmpty();
    }

    @Test
    void otherApiVersionIsRefused() {
        AssumeRoleRequest request = validRequest();
        request.setSysVersion("2019-01-01");

        assertRefused(permanentClient(), request, "InvalidVersion");
    }

    @Test
    void otherActionIsRefused() {
        AssumeRoleRequest request = validRequest();
        request.setSysActionName("GetCallerIdentity");

        assertRefused(permanentClient(), request, "InvalidAction.NotFound");
    }

    @Test
    void roleOfAnotherAccountIsRefused() {
        assertRefused(permanentClient(), request("acs:ram::999999999999:role/miniapp-client", "alice", 3600L, null),
                "NoPermission");
    }

    @Test
    void malformedRoleArnIsRefused() {
        assertRefused(permanentClient(), request("arn:aws:iam::123:role/x", "alice", 3600L, null),
                "InvalidParameter.RoleArn");
    }

    @Test
    void roleMissingFromTheAccountIsRefusedWhenRolesAreKnown() throws Exception {
        sts.setKnownRoles("miniapp-client");

        assertRefused(permanentClient(), request("acs:ram::" + ACCOUNT_ID + ":role/ghost", "alice", 3600L, null),
                "EntityNotExist.Role");
        assertThat(permanentClient().getAcsResponse(validRequest()).getCredentials()).isNotNull();
    }

    @Test
    void roleSessionNameTooShortIsRefused() {
        assertRefused(permanentClient(), request(ROLE_ARN, "a", 3600L, null), "InvalidParameter.RoleSessionName");
    }

    @Test
    void roleSessionNameTooLongIsRefused() {
        assertRefused(permanentClient(), request(ROLE_ARN, "a".repeat(65), 3600L, null),
                "InvalidParameter.RoleSessionName");
    }

    @Test
    void roleSessionNameWithForbiddenCharacterIsRefused() {
        assertRefused(permanentClient(), request(ROLE_ARN, "bad*name", 3600L, null),
                "InvalidParameter.RoleSessionName");
    }

    @Test
    void roleSessionNameOf64AllowedCharactersIsAccepted() throws Exception {
        String name = ("Ab0.@_-" + "x".repeat(57));

        permanentClient().getAcsResponse(request(ROLE_ARN, name, 3600L, null));

        assertThat(sts.assumeRoleRequests()).singleElement()
                .satisfies(call -> assertThat(call.roleSessionName()).isEqualTo(name));
    }

    @Test
    void durationBelow900IsRefused() {
        assertRefused(permanentClient(), request(ROLE_ARN, "alice", 899L, null), "InvalidParameter.DurationSeconds");
    }

    @Test
    void durationAboveTheRolesMaximumIsRefused() {
        assertRefused(permanentClient(), request(ROLE_ARN, "alice", 3601L, null), "InvalidParameter.DurationSeconds");
    }

    @Test
    void durationUpToARaisedMaximumIsAccepted() throws Exception {
        sts.setMaxSessionDuration(7200);

        AssumeRoleResponse response = permanentClient().getAcsResponse(request(ROLE_ARN, "alice", 7200L, null));

        assertThat(Instant.parse(response.getCredentials().getExpiration()))
                .isCloseTo(Instant.now().plusSeconds(7200), within(Duration.ofSeconds(5)));
    }

    @Test
    void policyThatIsNotJsonIsRefused() {
        assertRefused(permanentClient(), request(ROLE_ARN, "alice", 3600L, "{not json"),
                "InvalidParameter.PolicyGrammar");
    }

    @Test
    void policyWithWrongVersionIsRefused() {
        assertRefused(permanentClient(), request(ROLE_ARN, "alice", 3600L, POLICY.replace("\"1\"", "\"2\"")),
                "InvalidParameter.PolicyGrammar");
    }

    @Test
    void policyStatementWithoutResourceIsRefused() {
        String policy = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"fc:InvokeFunction\"}]}";

        assertRefused(permanentClient(), request(ROLE_ARN, "alice", 3600L, policy), "InvalidParameter.PolicyGrammar");
    }

    @Test
    void policyOver2048BytesIsRefused() {
        StringBuilder resources = new StringBuilder();
        while (resources.length() < 2100) {
            resources.append(",\"acs:fc:cn-hangzhou:").append(ACCOUNT_ID).append(":services/s/functions/f\"");
        }
        String policy = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"fc:InvokeFunction\","
                + "\"Resource\":[\"*\"" + resources + "]}]}";

        assertRefused(permanentClient(), request(ROLE_ARN, "alice", 3600L, policy), "InvalidParameter.PolicySize");
    }

    @Test
    void faultSwitchMakesTheSdkRaiseAServerException() {
        sts.faults().fail();

        assertThatThrownBy(() -> permanentClient().getAcsResponse(validRequest()))
                .isInstanceOfSatisfying(ServerException.class,
                        e -> assertThat(e.getErrCode()).isEqualTo("ServiceUnavailable"));
        assertThat(sts.assumeRoleRequests()).isEmpty();
    }

    @Test
    void stalledServiceMakesTheSdkTimeOut() {
        sts.faults().stall(Duration.ofSeconds(30));
        AssumeRoleRequest request = validRequest();
        request.setSysReadTimeout(300);

        assertThatThrownBy(() -> permanentClient().getAcsResponse(request))
                .isInstanceOfSatisfying(ClientException.class,
                        e -> assertThat(e.getErrCode()).isEqualTo("SDK.ReadTimeout"));
    }

    private static HttpResponse<String> post(String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.noBody())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return new ObjectMapper().readTree(response.body());
    }
}
