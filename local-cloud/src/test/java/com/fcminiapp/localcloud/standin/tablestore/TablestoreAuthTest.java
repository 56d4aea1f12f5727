package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.TableStoreException;
import com.alicloud.openservices.tablestore.core.protocol.OtsInternalApi;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TablestoreAuthTest {

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private TablestoreFixture fixture = new TablestoreFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void temporaryKeyWithItsSecurityTokenIsAccepted() {
        SyncClient client = fixture.temporaryClient();
        fixture.createTodoTable(client);
        assertThat(client.listTable().getTableNames()).containsExactly(TablestoreFixture.TABLE);
    }

    @Test
    void requestSignedWithTheWrongSecretIsRefused() {
        SyncClient client = fixture.client(fixture.permanent.accessKeyId, "not-the-secret", TablestoreFixture.INSTANCE, null);
        assertAuthFailed(client::listTable, "Signature mismatch.");
    }

    @Test
    void unknownAccessKeyIdIsRefused() {
        SyncClient client = fixture.client("LTAIunknown", fixture.permanent.accessKeySecret, TablestoreFixture.INSTANCE, null);
        assertAuthFailed(client::listTable, "The AccessKeyID does not exist.");
    }

    @Test
    void temporaryKeyWithoutSecurityTokenIsRefused() {
        SyncClient client = fixture.client(fixture.temporary.accessKeyId, fixture.temporary.accessKeySecret,
                TablestoreFixture.INSTANCE, null);
        assertAuthFailed(client::listTable, "The security token you provided is invalid.");
    }

    @Test
    void temporaryKeyWithAnotherSecurityTokenIsRefused() {
        SyncClient client = fixture.client(fixture.temporary.accessKeyId, fixture.temporary.accessKeySecret,
                TablestoreFixture.INSTANCE, fixture.temporary.securityToken + "x");
        assertAuthFailed(client::listTable, "The security token you provided is invalid.");
    }

    @Test
    void expiredTemporaryKeyIsRefused() {
        CredentialRegistry.Credential expired = fixture.registry.issueTemporary("acs:ram::1:role/db", "alice", "{}",
                Duration.ofSeconds(-5));
        SyncClient client = fixture.client(expired.accessKeyId, expired.accessKeySecret, TablestoreFixture.INSTANCE,
                expired.securityToken);
        assertAuthFailed(client::listTable, "The security token you provided has expired.");
    }

    @Test
    void requestForAnotherInstanceIsRefused() {
        SyncClient client = fixture.client(fixture.permanent.accessKeyId, fixture.permanent.accessKeySecret, "other", null);
        assertAuthFailed(client::listTable, "The instance is not found.");
    }

    @Test
    void requestDatedMoreThanFifteenMinutesAwayIsRefused() {
        fixture.close();
        fixture = new TablestoreFixture(null, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(16)));
        SyncClient client = fixture.client(fixture.permanent.accessKeyId, fixture.permanent.accessKeySecret,
                TablestoreFixture.INSTANCE, null);
        assertThatThrownBy(client::listTable).isInstanceOfSatisfying(TableStoreException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo("OTSAuthFailed");
            assertThat(e.getMessage()).startsWith("Mismatch between system time and x-ots-date");
        });
    }

    @Test
    void correctlySignedRawRequestGetsASignedAnswer() throws Exception {
        byte[] body = OtsInternalApi.ListTableRequest.getDefaultInstance().toByteArray();
        HttpResponse<byte[]> response = send("ListTable", body, signedHeaders("ListTable", body, md5(body)));

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, String> otsHeaders = new TreeMap<>();
        response.headers().map().forEach((name, values) -> {
            if (name.toLowerCase().startsWith("x-ots-")) {
                otsHeaders.put(name.toLowerCase(), values.get(0));
            }
        });
        assertThat(otsHeaders).containsEntry("x-ots-contentmd5", md5(response.body()))
                .containsEntry("x-ots-contenttype", "protocol buffer")
                .containsKeys("x-ots-date", "x-ots-requestid");
        StringBuilder toSign = new StringBuilder();
        otsHeaders.forEach((name, value) -> toSign.append(name).append(':').append(value).append('\n'));
        toSign.append("/ListTable");
        assertThat(response.headers().firstValue("authorization")).contains(
                "OTS " + fixture.permanent.accessKeyId + ":" + hmac(fixture.permanent.accessKeySecret, toSign.toString()));
    }

    @Test
    void bodyNotMatchingItsContentMd5IsRefused() throws Exception {
        byte[] signedBody = OtsInternalApi.DescribeTableRequest.newBuilder().setTableName("a").build().toByteArray();
        byte[] sentBody = OtsInternalApi.DescribeTableRequest.newBuilder().setTableName("b").build().toByteArray();
        HttpResponse<byte[]> response = send("DescribeTable", sentBody, signedHeaders("DescribeTable", sentBody, md5(signedBody)));

        assertThat(response.statusCode()).isEqualTo(403);
        OtsInternalApi.Error error = OtsInternalApi.Error.parseFrom(response.body());
        assertThat(error.getCode()).isEqualTo("OTSAuthFailed");
        assertThat(error.getMessage()).contains("x-ots-contentmd5");
    }

    @Test
    void requestWithoutSignatureIsRefusedAsMissingHeader() throws Exception {
        byte[] body = OtsInternalApi.ListTableRequest.getDefaultInstance().toByteArray();
        Map<String, String> headers = signedHeaders("ListTable", body, md5(body));
        headers.remove("x-ots-signature");
        HttpResponse<byte[]> response = send("ListTable", body, headers);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(OtsInternalApi.Error.parseFrom(response.body()).getCode()).isEqualTo("OTSParameterInvalid");
    }

    @Test
    void otherMethodThanPostIsRefused() throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(fixture.standIn.endpoint() + "/ListTable")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(OtsInternalApi.Error.parseFrom(response.body()).getCode()).isEqualTo("OTSMethodNotAllowed");
    }

    @Test
    void faultSwitchAnswersServerUnavailableUntilTheClientGivesUp() {
        SyncClient client = fixture.client(fixture.permanent.accessKeyId, fixture.permanent.accessKeySecret,
                TablestoreFixture.INSTANCE, null);
        fixture.standIn.faults().fail();
        assertThatThrownBy(client::listTable).isInstanceOfSatisfying(TableStoreException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo("OTSServerUnavailable");
            assertThat(e.getHttpStatus()).isEqualTo(503);
        });
        fixture.standIn.faults().clear();
        assertThat(client.listTable().getTableNames()).isEmpty();
    }

    // ---- raw requests, signed as the SDK notes describe ----

    private Map<String, String> signedHeaders(String action, byte[] body, String contentMd5) throws Exception {
        Map<String, String> headers = new TreeMap<>();
        headers.put("x-ots-accesskeyid", fixture.permanent.accessKeyId);
        headers.put("x-ots-apiversion", "2015-12-31");
        headers.put("x-ots-contentmd5", contentMd5);
        headers.put("x-ots-date", ISO_MILLIS.format(Instant.now()));
        headers.put("x-ots-instancename", TablestoreFixture.INSTANCE);
        StringBuilder toSign = new StringBuilder("/").append(action).append("\nPOST\n\n");
        headers.forEach((name, value) -> toSign.append(name).append(':').append(value).append('\n'));
        headers.put("x-ots-signature", hmac(fixture.permanent.accessKeySecret, toSign.toString()));
        return headers;
    }

    private HttpResponse<byte[]> send(String action, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fixture.standIn.endpoint() + "/" + action))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String md5(byte[] body) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
    }

    private static String hmac(String secret, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static void assertAuthFailed(ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TableStoreException.class, e -> {
            assertThat(e.getErrorCode()).isEqualTo("OTSAuthFailed");
            assertThat(e.getMessage()).isEqualTo(message);
            assertThat(e.getHttpStatus()).isEqualTo(403);
        });
    }
}
