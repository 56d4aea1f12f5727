package com.fcminiapp.localcloud.standin.alipay;

import com.alipay.api.AlipayApiException;
import com.alipay.api.AlipayClient;
import com.alipay.api.AlipayConfig;
import com.alipay.api.DefaultAlipayClient;
import com.alipay.api.request.AlipaySystemOauthTokenRequest;
import com.alipay.api.response.AlipaySystemOauthTokenResponse;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlipayStandInTest {

    private static final String APP_ID = "2021004100000001";

    private static RsaKeyPair appKeys;
    private static RsaKeyPair otherKeys;

    private AlipayStandIn alipay;

    @BeforeAll
    static void makeKeys() {
        appKeys = RsaKeyPair.generate();
        otherKeys = RsaKeyPair.generate();
    }

    @BeforeEach
    void startStandIn() {
        alipay = new AlipayStandIn(0, APP_ID, appKeys.publicKeyX509Base64()).start();
    }

    @AfterEach
    void stopStandIn() {
        alipay.close();
    }

    private AlipayClient client(String appId, RsaKeyPair signingKeys, String alipayPublicKey) throws AlipayApiException {
        AlipayConfig config = new AlipayConfig();
        config.setServerUrl(alipay.gatewayUrl());
        config.setAppId(appId);
        config.setPrivateKey(signingKeys.privateKeyPkcs8Base64());
        config.setAlipayPublicKey(alipayPublicKey);
        config.setFormat("json");
        config.setCharset("UTF-8");
        config.setSignType("RSA2");
        return new DefaultAlipayClient(config);
    }

    private AlipayClient appClient() throws AlipayApiException {
        return client(APP_ID, appKeys, alipay.alipayPublicKey());
    }

    private static AlipaySystemOauthTokenResponse login(AlipayClient client, String code) throws AlipayApiException {
        AlipaySystemOauthTokenRequest request = new AlipaySystemOauthTokenRequest();
        request.setGrantType("authorization_code");
        request.setCode(code);
        return client.execute(request);
    }

    @Test
    void codesWithTheSameNameLogInTheSameUser() throws Exception {
        AlipaySystemOauthTokenResponse first = login(appClient(), "alice:1");
        AlipaySystemOauthTokenResponse second = login(appClient(), "alice:2");

        assertThat(first.isSuccess()).isTrue();
        assertThat(second.isSuccess()).isTrue();
        assertThat(first.getOpenId()).isEqualTo(second.getOpenId()).isEqualTo(alipay.uidFor("alice"));
        assertThat(first.getAccessToken()).isNotBlank().isNotEqualTo(second.getAccessToken());
        assertThat(first.getRefreshToken()).isNotBlank();
        assertThat(first.getExpiresIn()).isNotBlank();
        assertThat(first.getAuthStart()).isNotNull();
        assertThat(alipay.acceptedCodes()).containsExactly("alice:1", "alice:2");
    }

    @Test
    void differentNamesGetDifferentRealisticOpenIds() throws Exception {
        String alice = login(appClient(), "alice:x").getOpenId();
        String bob = login(appClient(), "bob:x").getOpenId();

        assertThat(alice).isNotEqualTo(bob);
        assertThat(alice).matches("[0-9A-Za-z]{40,60}");
        assertThat(bob).matches("[0-9A-Za-z]{40,60}");
    }

    @Test
    void byDefaultOnlyOpenIdIsAnswered() throws Exception {
        AlipaySystemOauthTokenResponse response = login(appClient(), "carol:1");

        assertThat(response.getOpenId()).isNotNull();
        assertThat(response.getUserId()).isNull();
    }

    @Test
    void userIdModeAnswersAStableUserIdOnly() throws Exception {
        alipay.answerWith(AlipayStandIn.UidFields.USER_ID);

        AlipaySystemOauthTokenResponse first = login(appClient(), "dave:1");
        AlipaySystemOauthTokenResponse second = login(appClient(), "dave:2");

        assertThat(first.getOpenId()).isNull();
        assertThat(first.getUserId()).matches("2088\\d{12}").isEqualTo(second.getUserId());
        assertThat(alipay.uidFor("dave")).isEqualTo(first.getUserId());
    }

    @Test
    void bothModeAnswersOpenIdAndUserId() throws Exception {
        alipay.answerWith(AlipayStandIn.UidFields.BOTH);

        AlipaySystemOauthTokenResponse response = login(appClient(), "erin:1");

        assertThat(response.getOpenId()).isEqualTo(alipay.openIdFor("erin"));
        assertThat(response.getUserId()).isEqualTo(alipay.userIdFor("erin"));
        assertThat(alipay.uidFor("erin")).isEqualTo(response.getOpenId());
    }

    @Test
    void replayedCodeIsRefusedAsInvalid() throws Exception {
        assertThat(login(appClient(), "alice:once").isSuccess()).isTrue();

        AlipaySystemOauthTokenResponse replay = login(appClient(), "alice:once");

        assertThat(replay.isSuccess()).isFalse();
        assertThat(replay.getCode()).isEqualTo("40002");
        assertThat(replay.getMsg()).isEqualTo("Invalid Arguments");
        assertThat(replay.getSubCode()).isEqualTo("isv.code-invalid");
        assertThat(replay.getOpenId()).isNull();
        assertThat(replay.getBody())
                .startsWith("{\"error_response\":{\"code\":\"40002\",\"msg\":\"Invalid Arguments\","
                        + "\"sub_code\":\"isv.code-invalid\"")
                .contains("},\"sign\":\"");
    }

    @Test
    void codeWithoutColonIsRefusedAsInvalid() throws Exception {
        AlipaySystemOauthTokenResponse response = login(appClient(), "4b203fe6c11548bcabd8da5bb087a83b");

        assertThat(response.isSuccess()).isFalse();
        assertThat(response.getSubCode()).isEqualTo("isv.code-invalid");
        assertThat(alipay.acceptedCodes()).isEmpty();
    }

    @Test
    void codeWithEmptyNameIsRefusedAsInvalid() throws Exception {
        AlipaySystemOauthTokenResponse response = login(appClient(), ":anything");

        assertThat(response.getSubCode()).isEqualTo("isv.code-invalid");
    }

    @Test
    void requestSignedWithAnotherKeyIsRefusedAndDoesNotUseTheCode() throws Exception {
        AlipayClient forger = client(APP_ID, otherKeys, alipay.alipayPublicKey());

        AlipaySystemOauthTokenResponse response = login(forger, "mallory:1");

        assertThat(response.isSuccess()).isFalse();
        assertThat(response.getCode()).isEqualTo("40002");
        assertThat(response.getSubCode()).isEqualTo("isv.invalid-signature");
        assertThat(alipay.isUsed("mallory:1")).isFalse();
        assertThat(login(appClient(), "mallory:1").isSuccess()).isTrue();
    }

    @Test
    void unknownAppIdIsRefused() throws Exception {
        AlipayClient stranger = client("2021009999999999", appKeys, alipay.alipayPublicKey());

        AlipaySystemOauthTokenResponse response = login(stranger, "alice:1");

        assertThat(response.isSuccess()).isFalse();
        assertThat(response.getCode()).isEqualTo("40002");
        assertThat(response.getSubCode()).isEqualTo("isv.invalid-app-id");
    }

    @Test
    void requestWithTimestampFarFromGatewayClockIsRefused() throws Exception {
        alipay.close();
        Clock anHourAhead = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        alipay = new AlipayStandIn(0, APP_ID, appKeys.publicKeyX509Base64(), RsaKeyPair.generate(), null, anHourAhead)
                .start();

        AlipaySystemOauthTokenResponse response = login(appClient(), "alice:1");

        assertThat(response.isSuccess()).isFalse();
        assertThat(response.getSubCode()).isEqualTo("isv.invalid-timestamp");
    }

    @Test
    void requestWithRsaSignTypeIsRefused() throws Exception {
        AlipayConfig config = new AlipayConfig();
        config.setServerUrl(alipay.gatewayUrl());
        config.setAppId(APP_ID);
        config.setPrivateKey(appKeys.privateKeyPkcs8Base64());
        config.setAlipayPublicKey(alipay.alipayPublicKey());
        config.setCharset("UTF-8");
        config.setSignType("RSA");

        AlipaySystemOauthTokenResponse response = login(new DefaultAlipayClient(config), "alice:1");

        assertThat(response.getSubCode()).isEqualTo("isv.invalid-signature-type");
    }

    @Test
    void unsignedRequestIsRefusedAsMissingItsSignature() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(alipay.gatewayUrl()
                        + "?app_id=" + APP_ID + "&method=alipay.system.oauth.token&charset=utf-8&sign_type=RSA2"
                        + "&timestamp=2026-01-01+00%3A00%3A00&version=1.0"))
                .header("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=alice%3A1"))
                .build();

        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/html;charset=utf-8");
        assertThat(response.body()).startsWith("{\"error_response\":{\"code\":\"40001\","
                + "\"msg\":\"Missing Required Arguments\",\"sub_code\":\"isv.missing-signature\"");
        assertThat(alipay.isUsed("alice:1")).isFalse();
    }

    @Test
    void sdkAcceptsTheAnswerSignature() throws Exception {
        // the SDK verifies every successful answer; a bad signature would throw instead of returning
        AlipaySystemOauthTokenResponse response = login(appClient(), "frank:1");

        assertThat(response.isSuccess()).isTrue();
        assertThat(response.getBody()).contains("\"sign\":\"");
    }

    @Test
    void clientWithWrongAlipayPublicKeyRejectsTheAnswer() throws Exception {
        AlipayClient misconfigured = client(APP_ID, appKeys, otherKeys.publicKeyX509Base64());

        assertThatThrownBy(() -> login(misconfigured, "grace:1"))
                .isInstanceOf(AlipayApiException.class)
                .hasMessageContaining("sign check fail");
    }

    @Test
    void faultSwitchMakesTheSdkThrow() throws Exception {
        alipay.faults().fail();

        assertThatThrownBy(() -> login(appClient(), "heidi:1")).isInstanceOf(AlipayApiException.class);
        assertThat(alipay.isUsed("heidi:1")).isFalse();

        alipay.faults().clear();
        assertThat(login(appClient(), "heidi:1").isSuccess()).isTrue();
    }

    @Test
    void usedCodesStayUsedAfterReopeningTheStore(@TempDir Path dir) throws Exception {
        String file = dir.resolve("alipay.mv.db").toString();
        RsaKeyPair alipayKeys = RsaKeyPair.generate();
        alipay.close();
        MVStore store = new MVStore.Builder().fileName(file).open();
        alipay = new AlipayStandIn(0, APP_ID, appKeys.publicKeyX509Base64(), alipayKeys, store).start();
        assertThat(login(appClient(), "ivan:1").isSuccess()).isTrue();
        alipay.close();
        store.close();

        try (MVStore reopened = new MVStore.Builder().fileName(file).open()) {
            RsaKeyPair restoredKeys = RsaKeyPair.fromPrivateKeyPkcs8Base64(alipayKeys.privateKeyPkcs8Base64());
            alipay = new AlipayStandIn(0, APP_ID, appKeys.publicKeyX509Base64(), restoredKeys, reopened).start();

            AlipaySystemOauthTokenResponse replay = login(appClient(), "ivan:1");
            AlipaySystemOauthTokenResponse fresh = login(appClient(), "ivan:2");

            assertThat(replay.getSubCode()).isEqualTo("isv.code-invalid");
            assertThat(fresh.isSuccess()).isTrue();
            assertThat(alipay.alipayPublicKey()).isEqualTo(alipayKeys.publicKeyX509Base64());
            alipay.close();
        }
    }

    @Test
    void alipayKeyEqualToTheAppKeyIsRefusedAtConstruction() {
        assertThatThrownBy(() -> new AlipayStandIn(0, APP_ID, appKeys.publicKeyX509Base64(), appKeys, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
