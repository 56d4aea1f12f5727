package com.fcminiapp.localcloud.standin.oss;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.OSSException;
import com.aliyun.oss.model.GetObjectRequest;
import com.aliyun.oss.model.ListObjectsRequest;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.ObjectListing;
import com.aliyun.oss.model.ObjectMetadata;
import com.aliyun.oss.model.PolicyConditions;
import com.aliyun.oss.model.PutObjectResult;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OssStandInTest {

    private static final String BUCKET = "miniapp-files";

    @TempDir
    Path temp;

    private Path root;

    private CredentialRegistry registry;
    private OssStandIn oss;
    private CredentialRegistry.Credential key;
    private final List<OSS> clients = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        root = temp.resolve("oss-root");
        registry = CredentialRegistry.inMemory();
        key = registry.createPermanent("LTAI");
        oss = new OssStandIn(0, registry, root).start();
        oss.createBucket(BUCKET);
    }

    @AfterEach
    void stop() {
        clients.forEach(OSS::shutdown);
        oss.close();
    }

    private OSS client(String accessKeyId, String secret, String token) {
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setMaxErrorRetry(0);
        OSS client = token == null
                ? new OSSClientBuilder().build(oss.endpoint(), accessKeyId, secret, conf)
                : new OSSClientBuilder().build(oss.endpoint(), accessKeyId, secret, token, conf);
        clients.add(client);
        return client;
    }

    private OSS client() {
        return client(key.accessKeyId, key.accessKeySecret, null);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static OSSException ossError(Runnable call) {
        try {
            call.run();
        } catch (OSSException e) {
            return e;
        }
        throw new AssertionError("expected an OSSException");
    }

    /**
     * The JDK server under every stand-in capitalises the first letter of header names ({@code X-oss-meta-…}) and
     * the SDK matches {@code x-oss-meta-} case-sensitively, so user metadata is read over plain HTTP here.
     */
    private String userMetadataHeader(OSS client, String objectKey, String name) throws Exception {
        URL url = client.generatePresignedUrl(BUCKET, objectKey, new Date(System.currentTimeMillis() + 60_000));
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(url.toURI()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue("x-oss-meta-" + name).orElse(null);
    }

    // ------------------------------------------------------------ objects

    @Test
    void putGetHeadDeleteRoundTripKeepsContentTypeEtagCrcAndUserMetadata() throws Exception {
        OSS client = client();
        ObjectMetadata meta = new ObjectMetadata();
        meta.setContentType("text/plain; charset=utf-8");
        meta.addUserMetadata("owner", "alice");
        PutObjectResult put = client.putObject(BUCKET, "notes/hello.txt", new ByteArrayInputStream(bytes("hello oss")), meta);

        assertThat(put.getETag()).matches("[0-9A-F]{32}");
        assertThat(put.getServerCRC()).isEqualTo(put.getClientCRC());

        OSSObject object = client.getObject(BUCKET, "notes/hello.txt");
        assertThat(read(object.getObjectContent())).isEqualTo("hello oss");
        assertThat(object.getObjectMetadata().getContentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(object.getObjectMetadata().getETag()).isEqualTo(put.getETag());
        assertThat(userMetadataHeader(client, "notes/hello.txt", "owner")).isEqualTo("alice");
        assertThat(object.getObjectMetadata().getServerCRC()).isNotNull();

        ObjectMetadata head = client.getObjectMetadata(BUCKET, "notes/hello.txt");
        assertThat(head.getContentLength()).isEqualTo(9);
        assertThat(head.getLastModified()).isCloseTo(new Date(), 60_000);
        assertThat(head.getETag()).isEqualTo(put.getETag());

        client.deleteObject(BUCKET, "notes/hello.txt");
        assertThat(client.doesObjectExist(BUCKET, "notes/hello.txt")).isFalse();
    }

    @Test
    void missingKeyAndMissingBucketFailWithTheirCodes() {
        OSS client = client();
        assertThat(ossError(() -> client.getObject(BUCKET, "nope")).getErrorCode()).isEqualTo("NoSuchKey");
        assertThat(ossError(() -> client.getObjectMetadata(BUCKET, "nope")).getErrorCode()).isEqualTo("NoSuchKey");
        assertThat(ossError(() -> client.getObject("no-such-bucket", "k")).getErrorCode()).isEqualTo("NoSuchBucket");
        assertThat(ossError(() -> client.listObjects("no-such-bucket")).getErrorCode()).isEqualTo("NoSuchBucket");
    }

    @Test
    void deletingAMissingKeySucceedsAsOnRealOss() {
        client().deleteObject(BUCKET, "never-written");
    }

    @Test
    void oddKeysRoundTripAndNeverLeaveTheRoot() throws IOException {
        OSS client = client();
        List<String> keys = List.of("a/../../escape.txt", "100%.txt", "%2e%2e/x", "日本語/ファイル 名.txt", "dir/",
                "a+b c&d=e?f#g", "emoji😀", "..", "back\\slash");
        for (String k : keys) {
            client.putObject(BUCKET, k, new ByteArrayInputStream(bytes("v:" + k)));
        }
        for (String k : keys) {
            assertThat(read(client.getObject(BUCKET, k).getObjectContent())).as(k).isEqualTo("v:" + k);
        }
        ObjectListing listing = client.listObjects(new ListObjectsRequest(BUCKET).withMaxKeys(100));
        assertThat(listing.getObjectSummaries()).extracting(OSSObjectSummary::getKey).containsExactlyInAnyOrderElementsOf(keys);
        try (Stream<Path> files = Files.walk(temp)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> temp.relativize(p).toString()).collect(Collectors.toList()))
                    .allSatisfy(p -> assertThat(p).matches("oss-root/(\\.oss-meta\\.mv\\.db|" + BUCKET + "/obj-[0-9a-f-]{36})"));
        }
    }

    @Test
    void rangeGetReturnsTheRequestedBytes() throws IOException {
        OSS client = client();
        client.putObject(BUCKET, "digits", new ByteArrayInputStream(bytes("0123456789")));
        GetObjectRequest request = new GetObjectRequest(BUCKET, "digits");
        request.setRange(2, 5);
        assertThat(read(client.getObject(request).getObjectContent())).isEqualTo("2345");
        request.setRange(-1, 3);
        assertThat(read(client.getObject(request).getObjectContent())).isEqualTo("789");
    }

    @Test
    void forbidOverwriteRefusesAnExistingKey() {
        OSS client = client();
        client.putObject(BUCKET, "once", new ByteArrayInputStream(bytes("1")));
        ObjectMetadata meta = new ObjectMetadata();
        meta.setHeader("x-oss-forbid-overwrite", "true");
        assertThat(ossError(() -> client.putObject(BUCKET, "once", new ByteArrayInputStream(bytes("2")), meta))
                .getErrorCode()).isEqualTo("FileAlreadyExists");
    }

    @Test
    void objectsSurviveARestartOnTheSameRoot() throws IOException {
        client().putObject(BUCKET, "kept", new ByteArrayInputStream(bytes("still here")));
        oss.close();
        oss = new OssStandIn(0, registry, root).start();
        assertThat(read(client().getObject(BUCKET, "kept").getObjectContent())).isEqualTo("still here");
    }

    // ------------------------------------------------------------ listing

    @Test
    void listPagesWithMarkerAndMaxKeysInKeyOrder() {
        OSS client = client();
        for (String k : List.of("u/1/c", "u/1/a", "u/1/b", "u/2/a", "u/1/d", "other")) {
            client.putObject(BUCKET, k, new ByteArrayInputStream(bytes(k)));
        }
        List<String> seen = new ArrayList<>();
        String marker = null;
        int pages = 0;
        ObjectListing page;
        do {
            page = client.listObjects(new ListObjectsRequest(BUCKET).withPrefix("u/1/").withMarker(marker).withMaxKeys(2));
            page.getObjectSummaries().forEach(s -> seen.add(s.getKey()));
            marker = page.getNextMarker();
            pages++;
        } while (page.isTruncated());
        assertThat(seen).containsExactly("u/1/a", "u/1/b", "u/1/c", "u/1/d");
        assertThat(pages).isEqualTo(2);
    }

    @Test
    void listWithDelimiterGroupsCommonPrefixesAcrossPages() {
        OSS client = client();
        for (String k : List.of("u/1/a", "u/1/b", "u/2/a", "u/3", "u/4/x/y")) {
            client.putObject(BUCKET, k, new ByteArrayInputStream(bytes(k)));
        }
        ObjectListing first = client.listObjects(new ListObjectsRequest(BUCKET).withPrefix("u/").withDelimiter("/").withMaxKeys(2));
        assertThat(first.getCommonPrefixes()).containsExactly("u/1/", "u/2/");
        assertThat(first.isTruncated()).isTrue();
        assertThat(first.getNextMarker()).isEqualTo("u/2/");
        ObjectListing second = client.listObjects(new ListObjectsRequest(BUCKET).withPrefix("u/").withDelimiter("/")
                .withMarker(first.getNextMarker()).withMaxKeys(2));
        assertThat(second.getObjectSummaries()).extracting(OSSObjectSummary::getKey).containsExactly("u/3");
        assertThat(second.getCommonPrefixes()).containsExactly("u/4/");
        assertThat(second.isTruncated()).isFalse();
    }

    @Test
    void listWithUrlEncodingEncodesKeysAndPrefixes() throws IOException {
        OSS client = client();
        client.putObject(BUCKET, "p/ü ber\u0001.txt", new ByteArrayInputStream(bytes("x")));
        ObjectListing listing = client.listObjects(new ListObjectsRequest(BUCKET).withPrefix("p/").withEncodingType("url"));
        assertThat(listing.getEncodingType()).isEqualTo("url");
        assertThat(URLDecoder.decode(listing.getObjectSummaries().get(0).getKey(), "UTF-8")).isEqualTo("p/ü ber\u0001.txt");
        assertThat(listing.getObjectSummaries().get(0).getSize()).isEqualTo(1);
    }

    // ------------------------------------------------------------ authentication

    @Test
    void wrongSecretIsRefusedWithSignatureDoesNotMatch() {
        OSS client = client(key.accessKeyId, "not-the-secret", null);
        OSSException e = ossError(() -> client.putObject(BUCKET, "k", new ByteArrayInputStream(bytes("x"))));
        assertThat(e.getErrorCode()).isEqualTo("SignatureDoesNotMatch");
        assertThat(e.getRequestId()).isNotBlank();
    }

    @Test
    void unknownAccessKeyIsRefusedWithInvalidAccessKeyId() {
        OSS client = client("LTAIunknown", "whatever", null);
        assertThat(ossError(() -> client.listObjects(BUCKET)).getErrorCode()).isEqualTo("InvalidAccessKeyId");
    }

    @Test
    void temporaryKeyWorksOnlyWithItsTokenAndBeforeItExpires() throws IOException {
        CredentialRegistry.Credential sts = registry.issueTemporary("acs:ram::1:role/r", "s", null, Duration.ofHours(1));
        client(sts.accessKeyId, sts.accessKeySecret, sts.securityToken)
                .putObject(BUCKET, "sts", new ByteArrayInputStream(bytes("ok")));
        assertThat(read(client(sts.accessKeyId, sts.accessKeySecret, sts.securityToken)
                .getObject(BUCKET, "sts").getObjectContent())).isEqualTo("ok");

        assertThat(ossError(() -> client(sts.accessKeyId, sts.accessKeySecret, null).getObject(BUCKET, "sts"))
                .getErrorCode()).isEqualTo("InvalidAccessKeyId");
        assertThat(ossError(() -> client(sts.accessKeyId, sts.accessKeySecret, "CAISwrong").getObject(BUCKET, "sts"))
                .getErrorCode()).isEqualTo("InvalidSecurityToken");
        assertThat(ossError(() -> client(sts.accessKeyId, sts.accessKeySecret, "CAISwrong").getObjectMetadata(BUCKET, "sts"))
                .getErrorCode()).isEqualTo("InvalidSecurityToken");

        CredentialRegistry.Credential expired = new CredentialRegistry.Credential("STS.expired", "secret", "CAIStoken");
        expired.expiration = Instant.now().minusSeconds(1);
        registry.register(expired);
        assertThat(ossError(() -> client(expired.accessKeyId, expired.accessKeySecret, expired.securityToken)
                .getObject(BUCKET, "sts")).getErrorCode()).isEqualTo("SecurityTokenExpired");
    }

    @Test
    void anonymousRequestIsRefused() throws Exception {
        client().putObject(BUCKET, "private", new ByteArrayInputStream(bytes("x")));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(oss.endpoint() + "/" + BUCKET + "/private")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("<Code>AccessDenied</Code>");
        assertThat(response.headers().firstValue("x-oss-request-id")).isPresent();
    }

    @Test
    void presignedGetWorksUntilItExpiresAndNotOnceTampered() throws Exception {
        CredentialRegistry.Credential sts = registry.issueTemporary("acs:ram::1:role/r", "s", null, Duration.ofHours(1));
        OSS client = client(sts.accessKeyId, sts.accessKeySecret, sts.securityToken);
        client.putObject(BUCKET, "users/u1/photo 1.jpg", new ByteArrayInputStream(bytes("jpeg")));

        URL url = client.generatePresignedUrl(BUCKET, "users/u1/photo 1.jpg", new Date(System.currentTimeMillis() + 600_000));
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(url.toURI()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("jpeg");

        URL expired = client.generatePresignedUrl(BUCKET, "users/u1/photo 1.jpg", new Date(System.currentTimeMillis() - 1_000));
        HttpResponse<String> late = http.send(HttpRequest.newBuilder(expired.toURI()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(late.statusCode()).isEqualTo(403);
        assertThat(late.body()).contains("<Code>AccessDenied</Code>").contains("Request has expired.");

        String otherKey = url.toString().replace("/users/u1/", "/users/u2/");
        HttpResponse<String> tampered = http.send(HttpRequest.newBuilder(URI.create(otherKey)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tampered.statusCode()).isEqualTo(403);
        assertThat(tampered.body()).contains("<Code>SignatureDoesNotMatch</Code>");
    }

    // ------------------------------------------------------------ PostObject

    private Map<String, String> postForm(OSS signer, String key, Date expiration, long maxBytes, String token) {
        PolicyConditions conditions = new PolicyConditions();
        conditions.addConditionItem("bucket", BUCKET);
        conditions.addConditionItem(com.aliyun.oss.model.MatchMode.Exact, PolicyConditions.COND_KEY, key);
        conditions.addConditionItem(PolicyConditions.COND_CONTENT_LENGTH_RANGE, 1, maxBytes);
        String policy = signer.generatePostPolicy(expiration, conditions);
        String encoded = Base64.getEncoder().encodeToString(policy.getBytes(StandardCharsets.UTF_8));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", key);
        fields.put("policy", encoded);
        fields.put("OSSAccessKeyId", key.isEmpty() ? "" : this.key.accessKeyId);
        fields.put("Signature", signer.calculatePostSignature(policy));
        if (token != null) {
            fields.put("x-oss-security-token", token);
        }
        fields.put("success_action_status", "200");
        fields.put("x-oss-meta-origin", "miniapp");
        return fields;
    }

    private HttpResponse<String> post(Map<String, String> fields, byte[] file) throws Exception {
        String boundary = "----MiniAppBoundary7MA4YWxkTrZu0gW";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            body.write(bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                    + f.getValue() + "\r\n"));
        }
        body.write(bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n"));
        body.write(file);
        body.write(bytes("\r\n--" + boundary + "--\r\n"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(oss.endpoint() + "/" + BUCKET))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Date inMinutes(int minutes) {
        return new Date(System.currentTimeMillis() + minutes * 60_000L);
    }

    @Test
    void postObjectStoresTheFileForTheExactKeyAndSize() throws Exception {
        OSS signer = client();
        HttpResponse<String> response = post(postForm(signer, "users/u1/a.png", inMinutes(10), 10, null), bytes("0123456789"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("ETag")).hasValueSatisfying(v -> assertThat(v).matches("\"[0-9A-F]{32}\""));

        OSSObject stored = signer.getObject(BUCKET, "users/u1/a.png");
        assertThat(read(stored.getObjectContent())).isEqualTo("0123456789");
        assertThat(stored.getObjectMetadata().getContentType()).isEqualTo("image/png");
        assertThat(userMetadataHeader(signer, "users/u1/a.png", "origin")).isEqualTo("miniapp");
    }

    @Test
    void postObjectWithStatus201AnswersPostResponseXml() throws Exception {
        Map<String, String> fields = postForm(client(), "users/u1/b.png", inMinutes(10), 10, null);
        fields.put("success_action_status", "201");
        HttpResponse<String> response = post(fields, bytes("png"));
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).contains("<Key>users/u1/b.png</Key>").contains("<Bucket>" + BUCKET + "</Bucket>");
    }

    @Test
    void postObjectForAnotherKeyIsRefusedByThePolicy() throws Exception {
        Map<String, String> fields = postForm(client(), "users/u1/a.png", inMinutes(10), 10, null);
        fields.put("key", "users/u2/a.png");
        HttpResponse<String> response = post(fields, bytes("x"));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("<Code>AccessDenied</Code>").contains("Policy Condition failed");
        assertThat(client().doesObjectExist(BUCKET, "users/u2/a.png")).isFalse();
    }

    @Test
    void postObjectOverTheContentLengthRangeIsEntityTooLarge() throws Exception {
        HttpResponse<String> response = post(postForm(client(), "users/u1/a.png", inMinutes(10), 10, null), bytes("0123456789A"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("<Code>EntityTooLarge</Code>");
    }

    @Test
    void postObjectUnderTheContentLengthRangeIsEntityTooSmall() throws Exception {
        HttpResponse<String> response = post(postForm(client(), "users/u1/a.png", inMinutes(10), 10, null), new byte[0]);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("<Code>EntityTooSmall</Code>");
    }

    @Test
    void postObjectWithAnExpiredPolicyIsRefused() throws Exception {
        HttpResponse<String> response = post(postForm(client(), "users/u1/a.png", inMinutes(-1), 10, null), bytes("x"));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("<Code>AccessDenied</Code>").contains("Policy expired");
    }

    @Test
    void postObjectWithATamperedPolicyIsRefused() throws Exception {
        Map<String, String> fields = postForm(client(), "users/u1/a.png", inMinutes(10), 10, null);
        String json = new String(Base64.getDecoder().decode(fields.get("policy")), StandardCharsets.UTF_8);
        fields.put("policy", Base64.getEncoder().encodeToString(bytes(json.replace("10]", "999999]"))));
        HttpResponse<String> response = post(fields, bytes("x"));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("<Code>SignatureDoesNotMatch</Code>");
    }

    @Test
    void postObjectWithTemporaryKeyNeedsItsSecurityToken() throws Exception {
        CredentialRegistry.Credential sts = registry.issueTemporary("acs:ram::1:role/r", "s", null, Duration.ofHours(1));
        OSS signer = client(sts.accessKeyId, sts.accessKeySecret, sts.securityToken);
        Map<String, String> fields = postForm(signer, "users/u1/t.png", inMinutes(10), 10, sts.securityToken);
        fields.put("OSSAccessKeyId", sts.accessKeyId);
        assertThat(post(fields, bytes("x")).statusCode()).isEqualTo(200);

        fields.remove("x-oss-security-token");
        HttpResponse<String> without = post(fields, bytes("x"));
        assertThat(without.statusCode()).isEqualTo(403);
        assertThat(without.body()).contains("<Code>InvalidAccessKeyId</Code>");
    }

    // ------------------------------------------------------------ faults

    @Test
    void faultSwitchMakesTheSdkFailWithServiceUnavailable() {
        oss.faults().fail();
        OSSException e = ossError(() -> client().getObject(BUCKET, "any"));
        assertThat(e.getErrorCode()).isEqualTo("ServiceUnavailable");
        oss.faults().clear();
        assertThat(ossError(() -> client().getObject(BUCKET, "any")).getErrorCode()).isEqualTo("NoSuchKey");
    }

    @Test
    void deleteObjectsRemovesTheNamedKeysCountsMissingOnesAsDeletedAndKeepsTheRest() {
        OSS client = client();
        for (String k : List.of("users/a/1.txt", "users/a/2 two.txt", "users/b/1.txt")) {
            client.putObject(BUCKET, k, new ByteArrayInputStream(bytes("x")));
        }

        com.aliyun.oss.model.DeleteObjectsResult result = client.deleteObjects(
                new com.aliyun.oss.model.DeleteObjectsRequest(BUCKET)
                        .withKeys(List.of("users/a/1.txt", "users/a/2 two.txt", "users/a/never.txt"))
                        .withQuiet(false));
        com.aliyun.oss.model.DeleteObjectsResult quiet = client.deleteObjects(
                new com.aliyun.oss.model.DeleteObjectsRequest(BUCKET).withKeys(List.of("users/a/1.txt"))
                        .withQuiet(true));

        assertThat(result.getDeletedObjects())
                .containsExactly("users/a/1.txt", "users/a/2 two.txt", "users/a/never.txt");
        assertThat(quiet.getDeletedObjects()).isEmpty();
        assertThat(client.listObjects(BUCKET).getObjectSummaries()).extracting(OSSObjectSummary::getKey)
                .containsExactly("users/b/1.txt");
    }
}
