package com.fcminiapp.session;

import com.alicloud.openservices.tablestore.SyncClient;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.config.ConfigException;
import com.fcminiapp.common.config.SessionConfig;
import com.fcminiapp.common.users.TablestoreUserStore;
import com.fcminiapp.common.users.UserRecord;
import com.fcminiapp.localcloud.runtime.LocalContext;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.alipay.AlipayStandIn;
import com.fcminiapp.localcloud.testing.TestContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The phone action with real payloads: the Alipay stand-in encrypts with the app's AES key and signs with its Alipay
 * key as Alipay does, the session function opens them with alipay-sdk-java, and the users table shows what was
 * stored. Every refusal is INVALID_ARGUMENT or UNAUTHENTICATED with nothing stored and nothing of it logged.
 */
class PhoneActionTest {

    private static final String MOBILE = "13812345678";

    private SessionCloud cloud;
    private SyncClient admin;
    private TablestoreUserStore users;
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private Map<String, String> env;
    private EntryPoint.Driver fn;

    @BeforeEach
    void start() {
        cloud = new SessionCloud();
        CredentialRegistry.Credential key = cloud.registry.createPermanent("LTAIphone");
        admin = new SyncClient(cloud.tablestore.endpoint(), key.accessKeyId, key.accessKeySecret, SessionCloud.INSTANCE);
        users = new TablestoreUserStore(admin, "miniapp_users");
        env = cloud.environment();
        env.put("ALIPAY_AES_KEY", cloud.alipay.aesKey());
        fn = EntryPoint.INVOKE.start(env, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        // no line the function logged holds the number, the encrypted content or its signature
        assertThat(logLines).noneMatch(line -> line.contains(MOBILE) || line.contains("5678")
                || line.contains("\"sign\"") || line.contains("response"));
        admin.shutdown();
        cloud.close();
    }

    private LocalContext context() {
        return TestContexts.create(cloud.executionKey, logLines);
    }

    private String login(EntryPoint.Driver driver, String code) {
        EntryPoint.Reply login = driver.post(context(), "{\"authCode\":\"" + code + "\"}");
        assertThat(login.status).as(login.toString()).isEqualTo(200);
        return login.json.get("sessionId").asText();
    }

    private static String phoneRequest(String sessionId, String response) {
        ObjectNode request = EntryPoint.MAPPER.createObjectNode();
        request.put("action", "phone");
        request.put("sessionId", sessionId);
        request.put("response", response);
        return request.toString();
    }

    private EntryPoint.Reply phone(String sessionId, String response) {
        return fn.post(context(), phoneRequest(sessionId, response));
    }

    private Optional<UserRecord> user(String name) {
        return users.find(cloud.alipay.uidFor(name));
    }

    @ParameterizedTest
    @EnumSource(EntryPoint.class)
    void aSignedEncryptedNumberIsStoredAndAnsweredMaskedThroughEveryEntryPoint(EntryPoint entryPoint) {
        EntryPoint.Driver driver = entryPoint.start(env, Clock.systemUTC());
        String sessionId = login(driver, "pam:1");
        Instant before = Instant.now();

        EntryPoint.Reply reply = driver.post(context(), phoneRequest(sessionId,
                cloud.alipay.phoneNumberResponse(MOBILE)));

        assertThat(reply.status).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json).isEqualTo(EntryPoint.MAPPER.createObjectNode().put("phone", "138****5678"));
        UserRecord record = user("pam").orElseThrow();
        assertThat(record.phone()).contains(MOBILE);
        assertThat(record.phoneAt().orElseThrow()).isBetween(before.minusMillis(1), Instant.now());
    }

    @ParameterizedTest
    @CsvSource({"12345, ***45", "1234567, *****67", "12345678, 123*5678", "13812345678, 138****5678",
            "+8613812345678, +86*******5678"})
    void theAnswerShowsTheFirstThreeAndLastFourFromEightCharactersAndOnlyTheLastTwoBelow(String mobile,
                                                                                           String masked) {
        String sessionId = login(fn, "max:" + mobile);

        EntryPoint.Reply reply = phone(sessionId, cloud.alipay.phoneNumberResponse(mobile));

        assertThat(reply.json.get("phone").asText()).isEqualTo(masked);
        assertThat(user("max").flatMap(UserRecord::phone)).contains(mobile);
    }

    @Test
    void aLaterNumberReplacesTheStoredOne() {
        String sessionId = login(fn, "ray:1");
        phone(sessionId, cloud.alipay.phoneNumberResponse("13900000000"));

        phone(sessionId, cloud.alipay.phoneNumberResponse(MOBILE));

        assertThat(user("ray").flatMap(UserRecord::phone)).contains(MOBILE);
    }

    @Test
    void aTamperedSignatureIsRefusedAndNothingStored() {
        String sessionId = login(fn, "eve:1");
        ObjectNode response = parse(cloud.alipay.phoneNumberResponse(MOBILE));
        String sign = response.get("sign").asText();
        response.put("sign", (sign.charAt(0) == 'A' ? "B" : "A") + sign.substring(1));

        refusedWith(phone(sessionId, response.toString()), "signature does not verify", "eve");
    }

    @Test
    void contentSwappedUnderAValidSignatureIsRefused() {
        String sessionId = login(fn, "eve:2");
        ObjectNode response = parse(cloud.alipay.phoneNumberResponse(MOBILE));
        response.put("response", parse(cloud.alipay.phoneNumberResponse("13900000000")).get("response").asText());

        refusedWith(phone(sessionId, response.toString()), "signature does not verify", "eve");
    }

    @Test
    void aSignatureByAnotherKeyIsRefused() {
        String sessionId = login(fn, "eve:3");
        AlipayStandIn impostor = new AlipayStandIn(0, SessionCloud.APP_ID, cloud.appKeys.publicKeyX509Base64())
                .useAesKey(cloud.alipay.aesKey());

        refusedWith(phone(sessionId, impostor.phoneNumberResponse(MOBILE)), "signature does not verify", "eve");
    }

    @Test
    void aSignThatIsNotBase64IsRefused() {
        String sessionId = login(fn, "eve:4");
        ObjectNode response = parse(cloud.alipay.phoneNumberResponse(MOBILE));
        response.put("sign", "%%% not base64 %%%");

        refusedWith(phone(sessionId, response.toString()), "signature does not verify", "eve");
    }

    @Test
    void anotherAesKeyCannotOpenTheNumber() {
        env.put("ALIPAY_AES_KEY", AlipayStandIn.newAesKey());
        fn = EntryPoint.INVOKE.start(env, Clock.systemUTC());
        String sessionId = login(fn, "kim:1");

        refusedWith(phone(sessionId, cloud.alipay.phoneNumberResponse(MOBILE)), "could not be decrypted", "kim");
    }

    @Test
    void signedContentThatIsNotBase64CiphertextCannotBeOpened() {
        String sessionId = login(fn, "kim:2");

        refusedWith(phone(sessionId, cloud.alipay.signedResponse("@@ garbage, not base64 @@")),
                "could not be decrypted", "kim");
        refusedWith(phone(sessionId, cloud.alipay.signedResponse("c2hvcnQ=")), "could not be decrypted", "kim");
    }

    @Test
    void aDecryptedAnswerThatIsNotJsonIsRefused() {
        String sessionId = login(fn, "kim:3");

        refusedWith(phone(sessionId, cloud.alipay.encryptedResponse("mobile=13812345678")),
                "could not be decrypted", "kim");
    }

    @Test
    void aResponseThatIsNotTheJsonObjectOfGetPhoneNumberIsRefused() {
        String sessionId = login(fn, "joe:1");

        for (String response : List.of("not json", "[1,2]", "\"a string\"", "{\"response\":\"x\"", "null")) {
            refusedWith(phone(sessionId, response), "is not the JSON text my.getPhoneNumber gave", "joe");
        }
    }

    @Test
    void aResponseWithoutItsContentOrSignIsRefusedNamingTheField() {
        String sessionId = login(fn, "joe:2");
        for (String field : List.of("response", "sign")) {
            ObjectNode response = parse(cloud.alipay.phoneNumberResponse(MOBILE));
            response.remove(field);
            refusedWith(phone(sessionId, response.toString()), "lacks its \"" + field + "\" field", "joe");
            response.put(field, 7);
            refusedWith(phone(sessionId, response.toString()), "lacks its \"" + field + "\" field", "joe");
        }
        ObjectNode otherAlgorithm = parse(cloud.alipay.phoneNumberResponse(MOBILE));
        otherAlgorithm.put("sign_type", "RSA");
        refusedWith(phone(sessionId, otherAlgorithm.toString()), "\"sign_type\" must be RSA2", "joe");
    }

    @Test
    void aRequestWithoutAResponseStringIsRefusedBeforeAnyCheck() {
        String sessionId = login(fn, "joe:3");

        for (String request : List.of("{\"action\":\"phone\",\"sessionId\":\"" + sessionId + "\"}",
                "{\"action\":\"phone\",\"sessionId\":\"" + sessionId + "\",\"response\":{\"sign\":\"x\"}}",
                "{\"action\":\"phone\",\"sessionId\":\"" + sessionId + "\",\"response\":\"\"}")) {
            refusedWith(fn.post(context(), request), "response", "joe");
        }
        String padded = cloud.alipay.phoneNumberResponse(MOBILE);
        padded = padded.substring(0, padded.length() - 1) + ",\"pad\":\"" + "x".repeat(4096 - padded.length() - 9)
                + "\"}";
        assertThat(padded).hasSize(4096);
        assertThat(phone(sessionId, padded).status).isEqualTo(200);
        users.delete(cloud.alipay.uidFor("joe"));
        refusedWith(phone(sessionId, padded.replace("\"pad\":\"", "\"pad\":\"x")), "1 to 4096 characters", "joe");
    }

    @Test
    void alipaysRefusalCode40003IsNamedAndNothingStored() {
        String sessionId = login(fn, "liz:1");
        String refusal = "{\"code\":\"40003\",\"msg\":\"Insufficient Conditions\","
                + "\"subCode\":\"isv.invalid-auth-relations\",\"subMsg\":\"授权关系无效\"}";

        refusedWith(phone(sessionId, cloud.alipay.encryptedResponse(refusal)),
                "Alipay did not give the phone number (code 40003)", "liz");
    }

    @Test
    void aMobileThatIsNotDigitsOrMissingIsRefused() {
        String sessionId = login(fn, "liz:2");

        for (String mobile : List.of("138abc45678", "1234", "1".repeat(21), "13812345678 ", "")) {
            refusedWith(phone(sessionId, cloud.alipay.phoneNumberResponse(mobile)), "holds no mobile number", "liz");
        }
        refusedWith(phone(sessionId, cloud.alipay.encryptedResponse("{\"code\":\"10000\",\"msg\":\"Success\"}")),
                "holds no mobile number", "liz");
    }

    @Test
    void withoutAnAesKeyThePhoneActionSaysItIsNotSetUp() {
        env.remove("ALIPAY_AES_KEY");
        fn = EntryPoint.INVOKE.start(env, Clock.systemUTC());
        String sessionId = login(fn, "ned:1");

        EntryPoint.Reply reply = phone(sessionId, cloud.alipay.phoneNumberResponse(MOBILE));

        refusedWith(reply, "", "ned");
        assertThat(reply.json.at("/error/message").asText())
                .isEqualTo("phone numbers are not set up on this deployment (ALIPAY_AES_KEY is empty)");
    }

    @Test
    void aDeadSessionIsUnauthenticatedBeforeTheNumberIsLookedAt() {
        String sessionId = login(fn, "ada:1");
        fn.post(context(), "{\"action\":\"logout\",\"sessionId\":\"" + sessionId + "\"}");
        String response = cloud.alipay.phoneNumberResponse(MOBILE);

        for (String dead : List.of(sessionId, "A".repeat(43), "short")) {
            EntryPoint.Reply reply = phone(dead, response);
            assertThat(reply.errorCode()).as(reply.toString()).isEqualTo("UNAUTHENTICATED");
        }
        EntryPoint.Reply none = fn.post(context(), "{\"action\":\"phone\",\"response\":\"{}\"}");
        assertThat(none.errorCode()).isEqualTo("UNAUTHENTICATED");
        env.remove("ALIPAY_AES_KEY");
        fn = EntryPoint.INVOKE.start(env, Clock.systemUTC());
        assertThat(phone(sessionId, response).errorCode()).isEqualTo("UNAUTHENTICATED");
        // the login made the users row (its session column); no number ever reached it
        assertThat(user("ada").orElseThrow().phone()).isEmpty();
    }

    @Test
    void aPendingAccountDeletionStoresNoNumberAndAnswersUnauthenticated() {
        String sessionId = login(fn, "del:1");
        users.markDeleting(cloud.alipay.uidFor("del"), Instant.now());

        EntryPoint.Reply reply = phone(sessionId, cloud.alipay.phoneNumberResponse(MOBILE));

        assertThat(reply.errorCode()).isEqualTo("UNAUTHENTICATED");
        assertThat(user("del").orElseThrow().phone()).isEmpty();
    }

    /** INVALID_ARGUMENT saying {@code what}, quoting nothing of the payload, and no number stored for {@code name}. */
    private void refusedWith(EntryPoint.Reply reply, String what, String name) {
        assertThat(reply.status).as(reply.toString()).isEqualTo(400);
        assertThat(reply.errorCode()).isEqualTo("INVALID_ARGUMENT");
        String message = reply.json.at("/error/message").asText();
        assertThat(message).contains(what).doesNotContain(MOBILE).doesNotContain("5678").doesNotContain("==");
        assertThat(user(name).flatMap(UserRecord::phone)).isEmpty();
        assertThat(logLines).last().asString().contains("INVALID_ARGUMENT");
    }

    @Test
    void anAesKeyOf16To32BytesIsTakenAndAnyOtherStopsTheStartNamingOnlyTheVariable() {
        for (int bytes : new int[] {16, 24, 32}) {
            String key = java.util.Base64.getEncoder().encodeToString(new byte[bytes]);
            env.put("ALIPAY_AES_KEY", " " + key.substring(0, 8) + "\n" + key.substring(8) + " ");
            assertThat(SessionConfig.from(env).alipayAesKey()).contains(key);
        }
        env.put("ALIPAY_AES_KEY", "");
        assertThat(SessionConfig.from(env).alipayAesKey()).isEmpty();
        for (String bad : List.of("c2VjcmV0LWtleQ==", "not base64!", java.util.Base64.getEncoder()
                .encodeToString(new byte[33]))) {
            env.put("ALIPAY_AES_KEY", bad);
            assertThatThrownBy(() -> SessionConfig.from(env)).isInstanceOf(ConfigException.class)
                    .satisfies(e -> assertThat(((ConfigException) e).problems())
                            .containsExactly("ALIPAY_AES_KEY is not a base64 AES key (16, 24 or 32 bytes)"))
                    .hasMessageNotContaining(bad);
        }
        assertThat(SessionConfig.from(cloud.environment()).toString()).doesNotContain(cloud.alipay.aesKey());
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) EntryPoint.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
