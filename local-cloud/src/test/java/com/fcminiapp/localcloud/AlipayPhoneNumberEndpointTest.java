package com.fcminiapp.localcloud;

import com.alipay.api.internal.util.AlipayEncrypt;
import com.alipay.api.internal.util.AlipaySignature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fcminiapp.localcloud.runtime.TestFunctionJar;
import com.fcminiapp.localcloud.testing.EchoTemplates;
import com.fcminiapp.localcloud.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /_admin/alipay/phone-number}: what my.getPhoneNumber hands the page, made with the data folder's AES
 * key (the one the session function gets as ALIPAY_AES_KEY) and signed with the Alipay key whose public half it gets
 * as ALIPAY_PUBLIC_KEY, verified here with alipay-sdk-java; refused without the token or with a bad body; the key
 * outlives a restart.
 */
class AlipayPhoneNumberEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private LocalCloud cloud;

    @BeforeEach
    void start() throws Exception {
        TestFunctionJar.build(dir);
        Files.writeString(dir.resolve("template.yml"), EchoTemplates.SESSION_AND_DB, StandardCharsets.UTF_8);
        cloud = startCloud();
    }

    @AfterEach
    void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    private LocalCloud startCloud() throws Exception {
        Options options = Options.parse("--port", "0", "--data", dir.resolve("data").toString(),
                "--template", dir.resolve("template.yml").toString());
        return LocalCloud.start(options, null, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
    }

    private RawHttp.Response post(String body, Map<String, String> headers) throws IOException {
        return RawHttp.send("POST", cloud.readyInfo().path("adminUrl").asText() + "/_admin/alipay/phone-number",
                headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, String> admin() {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("X-Local-Cloud-Token", cloud.readyInfo().path("adminToken").asText());
        return headers;
    }

    /** A variable of the session function as local-cloud serves it (the echo function answers it). */
    private String sessionVariable(String name) throws IOException {
        RawHttp.Response r = RawHttp.send("POST", cloud.readyInfo().path("sessionUrl").asText(), Map.of(),
                ("env:" + name).getBytes(StandardCharsets.UTF_8));
        assertThat(r.status).as(r.body).isEqualTo(200);
        return JSON.readTree(r.body).path("value").asText();
    }

    private String phoneResponse(String user, String mobile) throws IOException {
        RawHttp.Response r = post("{\"user\":\"" + user + "\",\"mobile\":\"" + mobile + "\"}", admin());
        assertThat(r.status).as(r.body).isEqualTo(200);
        JsonNode answer = JSON.readTree(r.body);
        assertThat(answer.size()).isEqualTo(1);
        return answer.path("response").asText();
    }

    /** The mobile in {@code response}, opened as the session function opens it, with its keys. */
    private String open(String response) throws Exception {
        JsonNode outer = JSON.readTree(response);
        String content = outer.path("response").asText();
        assertThat(AlipaySignature.rsaCheck("\"" + content + "\"", outer.path("sign").asText(),
                sessionVariable("ALIPAY_PUBLIC_KEY"), "UTF-8", "RSA2")).isTrue();
        JsonNode plain = JSON.readTree(AlipayEncrypt.decryptContent(content, "AES",
                sessionVariable("ALIPAY_AES_KEY"), "UTF-8"));
        assertThat(plain.path("code").asText()).isEqualTo("10000");
        assertThat(plain.path("msg").asText()).isEqualTo("Success");
        return plain.path("mobile").asText();
    }

    @Test
    void theAnswerIsWhatGetPhoneNumberGivesSignedAndEncryptedForTheSessionFunctionsKeys() throws Exception {
        String response = phoneResponse("alice", "13812345678");

        JsonNode outer = JSON.readTree(response);
        assertThat(outer.fieldNames()).toIterable()
                .containsExactly("response", "sign", "sign_type", "encrypt_type", "charset");
        assertThat(outer.path("sign_type").asText()).isEqualTo("RSA2");
        assertThat(outer.path("encrypt_type").asText()).isEqualTo("AES");
        assertThat(outer.path("charset").asText()).isEqualTo("UTF-8");
        assertThat(response).doesNotContain("13812345678");
        assertThat(open(response)).isEqualTo("13812345678");
        assertThat(open(phoneResponse("bob", "+8613900000000"))).isEqualTo("+8613900000000");
    }

    @Test
    void theAesKeyIsA16ByteBase64KeyGivenOnlyToTheSessionFunction() throws Exception {
        assertThat(java.util.Base64.getDecoder().decode(sessionVariable("ALIPAY_AES_KEY"))).hasSize(16);
        assertThat(LocalCloud.SESSION_ONLY).contains("ALIPAY_AES_KEY");
    }

    @Test
    void aBadBodyIsRefusedWith400AndAMessage() throws Exception {
        for (String body : List.of("", "not json", "[]", "{}", "{\"mobile\":\"13812345678\"}",
                "{\"user\":\"\",\"mobile\":\"13812345678\"}", "{\"user\":\"a:b\",\"mobile\":\"13812345678\"}",
                "{\"user\":7,\"mobile\":\"13812345678\"}", "{\"user\":\"alice\"}",
                "{\"user\":\"alice\",\"mobile\":\"138abc45678\"}", "{\"user\":\"alice\",\"mobile\":\"1234\"}",
                "{\"user\":\"alice\",\"mobile\":13812345678}")) {
            RawHttp.Response r = post(body, admin());
            assertThat(r.status).as(body + " → " + r.body).isEqualTo(400);
            assertThat(JSON.readTree(r.body).path("ErrorCode").asText("") + r.body).contains("INVALID_ARGUMENT");
        }
        assertThat(post("{\"user\":\"alice\"}", admin()).body).contains("mobile is 5 to 20 digits");
        assertThat(post("{\"mobile\":\"13812345678\"}", admin()).body).contains("user is the name before the ':'");
    }

    @Test
    void withoutTheTokenOrAsAnotherMethodNothingIsMade() throws Exception {
        String body = "{\"user\":\"alice\",\"mobile\":\"13812345678\"}";
        Map<String, String> noToken = admin();
        noToken.remove("X-Local-Cloud-Token");
        Map<String, String> wrongToken = admin();
        wrongToken.put("X-Local-Cloud-Token", "x" + wrongToken.get("X-Local-Cloud-Token"));
        Map<String, String> form = admin();
        form.put("Content-Type", "text/plain");

        assertThat(post(body, noToken).status).isEqualTo(403);
        assertThat(post(body, wrongToken).status).isEqualTo(403);
        assertThat(post(body, form).status).isEqualTo(415);
        RawHttp.Response get = RawHttp.send("GET", cloud.readyInfo().path("adminUrl").asText()
                + "/_admin/alipay/phone-number", admin(), new byte[0]);
        assertThat(get.status).isEqualTo(405);
        assertThat(post(body, noToken).body).doesNotContain("\"response\"");
    }

    @Test
    void aRestartKeepsTheKeysSoAnAnswerFromBeforeStillOpens() throws Exception {
        String before = phoneResponse("alice", "13812345678");
        String aesKey = sessionVariable("ALIPAY_AES_KEY");
        cloud.close();
        cloud = null;

        cloud = startCloud();

        assertThat(sessionVariable("ALIPAY_AES_KEY")).isEqualTo(aesKey);
        assertThat(open(before)).isEqualTo("13812345678");
    }
}
