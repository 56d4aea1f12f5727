package com.fcminiapp.localcloud.standin.oss;

import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.StandInServer;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Alibaba Cloud OSS as {@code aliyun-sdk-oss} speaks to it in path style ({@code /bucket/key}): PutObject,
 * GetObject (with Range), HeadObject, DeleteObject, DeleteObjects (the batch delete), ListObjects V1, PutBucket, and
 * the PostObject form upload
 * of browsers and mini-programs. Every request is authenticated as OSS does it (signature V1 in the
 * {@code Authorization} header, presigned URLs, signed POST policies), against the keys of a
 * {@link CredentialRegistry}; refusals carry OSS's XML error shape and codes.
 */
public class OssStandIn extends StandInServer {

    /** Owner id shown in listings (the account the buckets belong to). */
    public static final String OWNER_ID = "1000000000000000";

    private static final long MAX_PUT_BYTES = 5L * 1024 * 1024 * 1024;
    private static final int MAX_POST_BYTES = 256 * 1024 * 1024;
    private static final int MAX_KEY_BYTES = 1023;
    /** The most keys one DeleteObjects request may name. */
    public static final int MAX_DELETE_KEYS = 1000;
    private static final Duration ALLOWED_SKEW = Duration.ofMinutes(15);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.US).withZone(ZoneOffset.UTC);
    /** Standard headers kept with an object and given back on GET and HEAD. */
    private static final List<String> STORED_HEADERS = List.of(
            "Content-Type", "Content-Disposition", "Content-Encoding", "Content-Language", "Cache-Control", "Expires");

    private final CredentialRegistry registry;
    private final OssObjectStore store;

    /**
     * @param port  port on 127.0.0.1, 0 for any free one
     * @param registry the keys requests may be signed with
     * @param root  folder holding the buckets (created if missing); objects survive a restart on the same root
     */
    public OssStandIn(int port, CredentialRegistry registry, Path root) {
        super("oss", port);
        this.registry = registry;
        this.store = new OssObjectStore(root);
    }

    /** Creates a bucket (nothing happens when it exists); names follow OSS's rule: 3–63 of [a-z0-9-]. */
    public void createBucket(String name) {
        store.createBucket(name);
    }

    public boolean bucketExists(String name) {
        return store.bucketExists(name);
    }

    @Override
    public synchronized OssStandIn start() {
        super.start();
        return this;
    }

    @Override
    public synchronized void close() {
        super.close();
        store.close();
    }

    // ---------------------------------------------------------------- dispatch

    /** One request as this stand-in sees it: where it goes and who signed it. */
    private static final class Call {
        final HttpExchange exchange;
        final String requestId = newRequestId();
        final String method;
        final Map<String, String> query;
        String bucket;
        /** Null for a bucket-level request. */
        String key;

        Call(HttpExchange exchange) {
            this.exchange = exchange;
            this.method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            this.query = OssSigning.parseQuery(exchange.getRequestURI().getRawQuery());
        }

        String header(String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }

        String resource() {
            return "/" + (bucket == null ? "" : bucket + "/" + (key == null ? "" : key));
        }
    }

    @Override
    protected void serve(HttpExchange exchange) throws IOException {
        Call call = new Call(exchange);
        try {
            route(call);
        } catch (OssError e) {
            drain(exchange.getRequestBody());
            sendError(call, e);
        }
    }

    private void route(Call call) throws IOException {
        String rawPath = call.exchange.getRequestURI().getRawPath();
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (!path.equals("/")) {
            int slash = path.indexOf('/', 1);
            call.bucket = OssSigning.percentDecode(slash < 0 ? path.substring(1) : path.substring(1, slash), false);
            String key = slash < 0 ? "" : OssSigning.percentDecode(path.substring(slash + 1), false);
            call.key = key.isEmpty() ? null : key;
            if (!OssObjectStore.isValidBucketName(call.bucket)) {
                throw new OssError(400, "InvalidBucketName", "The specified bucket is not valid.")
                        .with("BucketName", call.bucket);
            }
        }
        if (call.bucket == null) {
            authenticate(call);
            throw notImplemented();
        }
        if (call.key != null && call.key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new OssError(400, "InvalidObjectName", "The Length of Object name must be less than 1024.");
        }
        if (call.method.equals("PUT") && call.key == null && call.query.isEmpty()) {
            authorize(authenticate(call), "oss:PutBucket", call.bucket, null);
            store.createBucket(call.bucket);
            sendEmpty(call, 200, new LinkedHashMap<>());
            return;
        }
        if (!store.bucketExists(call.bucket)) {
            throw OssError.noSuchBucket(call.bucket);
        }
        if (call.method.equals("POST") && call.key == null && isMultipart(call.header("Content-Type"))) {
            postObject(call);
            return;
        }
        CredentialRegistry.Credential caller = authenticate(call);
        if (call.key == null) {
            if (call.method.equals("POST") && call.query.containsKey("delete")) {
                deleteObjects(call, caller);
                return;
            }
            if (call.method.equals("GET") && call.query.keySet().stream().noneMatch(OssSigning.SIGNED_PARAMETERS::contains)) {
                // RAM's oss:Prefix condition key: the listing's prefix ("" when none is given)
                authorize(caller, "oss:ListObjects", call.bucket, null,
                        Map.of("oss:Prefix", call.query.getOrDefault("prefix", "")));
                listObjects(call);
                return;
            }
            throw notImplemented();
        }
        switch (call.method) {
            case "PUT":
                if (call.header("x-oss-copy-source") != null || hasSubResource(call)) {
                    throw notImplemented();
                }
                authorize(caller, "oss:PutObject", call.bucket, call.key);
                putObject(call);
                break;
            case "GET":
            case "HEAD":
                // HeadObject and GetObjectMeta are authorized as oss:GetObject
                authorize(caller, "oss:GetObject", call.bucket, call.key);
                if (call.query.containsKey("objectMeta") && call.query.size() == subResourceFreeCount(call) + 1) {
                    getObjectMeta(call);
                    break;
                }
                if (hasSubResource(call)) {
                    throw notImplemented();
                }
                getObject(call);
                break;
            case "DELETE":
                if (hasSubResource(call)) {
                    throw notImplemented();
                }
                authorize(caller, "oss:DeleteObject", call.bucket, call.key);
                store.delete(call.bucket, call.key);
                sendEmpty(call, 204, new LinkedHashMap<>());
                break;
            default:
                throw notImplemented();
        }
    }

    /** How many query parameters are not sub-resources (the auth ones, response overrides…). */
    private static long subResourceFreeCount(Call call) {
        return call.query.keySet().stream().filter(k -> !OssSigning.SIGNED_PARAMETERS.contains(k)
                || k.equals("security-token")).count();
    }

    /** GetObjectMeta ({@code ?objectMeta}): the few headers {@code doesObjectExist} and friends read. */
    private void getObjectMeta(Call call) throws IOException {
        OssObjectStore.ObjectMeta meta = store.find(call.bucket, call.key)
                .orElseThrow(() -> OssError.noSuchKey(call.key));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", "\"" + meta.etag + "\"");
        headers.put("Last-Modified", HTTP_DATE.format(Instant.ofEpochMilli(meta.lastModifiedMillis)));
        headers.put("x-oss-hash-crc64ecma", meta.crc64);
        if (call.method.equals("HEAD")) {
            // the server adds its own Content-Length (0) to a bodiless GET, so only HEAD can carry the size here
            headers.put("Content-Length", Long.toString(meta.size));
        }
        send(call, 200, headers, null);
    }

    private static boolean hasSubResource(Call call) {
        return call.query.keySet().stream().anyMatch(k -> OssSigning.SIGNED_PARAMETERS.contains(k)
                && !k.equals("security-token") && !k.startsWith("response-"));
    }

    private static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    private static OssError notImplemented() {
        return new OssError(501, "NotImplemented", "This operation is not implemented by the local OSS stand-in.");
    }

    // ---------------------------------------------------------------- authentication

    private CredentialRegistry.Credential authenticate(Call call) {
        String authorization = call.header("Authorization");
        Instant now = registry.clock().instant();
        if (authorization != null) {
            if (!authorization.startsWith("OSS ") || authorization.indexOf(':') < 0) {
                throw OssError.invalidArgument("Authorization header is invalid.", "Authorization", authorization);
            }
            String credentials = authorization.substring(4).trim();
            int colon = credentials.lastIndexOf(':');
            String accessKeyId = credentials.substring(0, colon);
            String provided = credentials.substring(colon + 1);
            String date = call.header("Date");
            Instant signedAt = parseHttpDate(date);
            if (signedAt == null) {
                throw OssError.accessDenied("OSS authentication requires a valid Date.");
            }
            if (Duration.between(signedAt, now).abs().compareTo(ALLOWED_SKEW) > 0) {
                throw new OssError(403, "RequestTimeTooSkewed",
                        "The difference between the request time and the current time is too large.")
                        .with("RequestTime", date).with("ServerTime", ISO_MILLIS.format(now));
            }
            CredentialRegistry.Credential credential =
                    resolve(accessKeyId, call.header("x-oss-security-token"), now);
            verify(call, credential, date, provided, call.query);
            return credential;
        }
        if (call.query.containsKey("OSSAccessKeyId") || call.query.containsKey("Signature")) {
            String expires = call.query.get("Expires");
            String accessKeyId = call.query.get("OSSAccessKeyId");
            String provided = call.query.get("Signature");
            if (expires == null || accessKeyId == null || provided == null) {
                throw OssError.accessDenied("Presigned URLs need the Expires, OSSAccessKeyId and Signature parameters.");
            }
            long expiresAt;
            try {
                expiresAt = Long.parseLong(expires);
            } catch (NumberFormatException e) {
                throw OssError.invalidArgument("Expires is not a number.", "Expires", expires);
            }
            if (now.getEpochSecond() > expiresAt) {
                throw OssError.accessDenied("Request has expired.")
                        .with("Expires", ISO_MILLIS.format(Instant.ofEpochSecond(expiresAt)))
                        .with("ServerTime", ISO_MILLIS.format(now));
            }
            CredentialRegistry.Credential credential = resolve(accessKeyId, call.query.get("security-token"), now);
            verify(call, credential, expires, provided, call.query);
            return credential;
        }
        throw OssError.accessDenied("You have no right to access this object because of bucket acl.");
    }

    /**
     * RAM's check: {@code action} on {@code acs:oss:*:<account>:<bucket>} or {@code …:<bucket>/<key>} (resource
     * forms from https://www.alibabacloud.com/help/en/oss/user-guide/ram-policy-overview); a refusal is OSS's
     * 403 AccessDenied.
     */
    private void authorize(CredentialRegistry.Credential caller, String action, String bucket, String key) {
        authorize(caller, action, bucket, key, Map.of());
    }

    /** As above, with the request's RAM condition keys. */
    private void authorize(CredentialRegistry.Credential caller, String action, String bucket, String key,
                           Map<String, String> context) {
        String resource = "acs:oss:*:" + arnAccount() + ":" + bucket + (key == null ? "" : "/" + key);
        if (!allowed(caller, action, resource, context)) {
            throw OssError.accessDenied("You are not authorized to do this action: " + action + " on " + resource
                    + " is not allowed by this AccessKey's RAM policy.");
        }
    }

    private void verify(Call call, CredentialRegistry.Credential credential, String dateOrExpires, String provided,
                        Map<String, String> query) {
        String stringToSign = OssSigning.stringToSign(call.method, call.header("Content-MD5"),
                call.header("Content-Type"), dateOrExpires, call.exchange.getRequestHeaders(), call.resource(), query);
        String expected = OssSigning.hmacSha1Base64(credential.accessKeySecret, stringToSign);
        if (!OssSigning.sameSignature(expected, provided)) {
            throw OssError.signatureDoesNotMatch(credential.accessKeyId, stringToSign, provided);
        }
    }

    private CredentialRegistry.Credential resolve(String accessKeyId, String securityToken, Instant now) {
        CredentialRegistry.Credential credential = registry.find(accessKeyId)
                .orElseThrow(() -> OssError.invalidAccessKeyId(accessKeyId));
        if (credential.isTemporary()) {
            if (securityToken == null || securityToken.isEmpty()) {
                // without its token an STS key is unknown to OSS
                throw OssError.invalidAccessKeyId(accessKeyId);
            }
            if (!OssSigning.sameSignature(credential.securityToken, securityToken)) {
                throw new OssError(403, "InvalidSecurityToken", "The security token you provided is invalid.");
            }
            if (credential.isExpiredAt(now)) {
                throw new OssError(403, "SecurityTokenExpired", "The security token you provided has expired.");
            }
        } else if (securityToken != null && !securityToken.isEmpty()) {
            throw new OssError(403, "InvalidSecurityToken", "The security token you provided is invalid.");
        }
        return credential;
    }

    private static Instant parseHttpDate(String date) {
        if (date == null) {
            return null;
        }
        try {
            return ZonedDateTime.parse(date.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- objects

    private void putObject(Call call) throws IOException {
        OssObjectStore.ObjectMeta meta = new OssObjectStore.ObjectMeta();
        meta.key = call.key;
        Headers headers = call.exchange.getRequestHeaders();
        for (String name : STORED_HEADERS) {
            String value = headers.getFirst(name);
            if (value != null) {
                meta.headers.put(name, value);
            }
        }
        meta.headers.putIfAbsent("Content-Type", "application/octet-stream");
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-oss-meta-") && !values.isEmpty()) {
                meta.userMetadata.put(lower.substring("x-oss-meta-".length()), values.get(0).trim());
            }
        });
        OssObjectStore.Staged staged = store.stage(call.bucket, call.exchange.getRequestBody(), MAX_PUT_BYTES);
        String contentMd5 = call.header("Content-MD5");
        if (contentMd5 != null && !contentMd5.trim().equals(staged.md5Base64)) {
            store.discard(staged);
            throw new OssError(400, "InvalidDigest", "The Content-MD5 you specified was invalid.");
        }
        storeAndAnswer(call, staged, meta, "true".equalsIgnoreCase(call.header("x-oss-forbid-overwrite")), 200);
    }

    private void storeAndAnswer(Call call, OssObjectStore.Staged staged, OssObjectStore.ObjectMeta meta,
                                boolean forbidOverwrite, int status) throws IOException {
        meta.lastModifiedMillis = registry.clock().millis();
        if (!store.commit(call.bucket, staged, meta, forbidOverwrite)) {
            throw new OssError(409, "FileAlreadyExists", "The object you specified already exists and can not be overwritten.");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", "\"" + meta.etag + "\"");
        headers.put("Content-MD5", staged.md5Base64);
        headers.put("x-oss-hash-crc64ecma", meta.crc64);
        if (status == 201) {
            String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<PostResponse>"
                    + element("Bucket", call.bucket)
                    + element("Location", endpoint() + "/" + call.bucket + "/" + OssSigning.urlEncode(meta.key).replace("%2F", "/"))
                    + element("Key", meta.key)
                    + element("ETag", "\"" + meta.etag + "\"")
                    + "</PostResponse>";
            headers.put("Content-Type", "application/xml");
            send(call, 201, headers, xml.getBytes(StandardCharsets.UTF_8));
        } else {
            sendEmpty(call, status, headers);
        }
    }

    private void getObject(Call call) throws IOException {
        OssObjectStore.ObjectMeta meta = store.find(call.bucket, call.key)
                .orElseThrow(() -> OssError.noSuchKey(call.key));
        Optional<InputStream> opened = store.open(call.bucket, meta);
        if (opened.isEmpty()) {
            throw OssError.noSuchKey(call.key);
        }
        try (InputStream in = opened.get()) {
            Map<String, String> headers = new LinkedHashMap<>(meta.headers);
            meta.userMetadata.forEach((k, v) -> headers.put("x-oss-meta-" + k, v));
            headers.put("ETag", "\"" + meta.etag + "\"");
            headers.put("Last-Modified", HTTP_DATE.format(Instant.ofEpochMilli(meta.lastModifiedMillis)));
            headers.put("x-oss-object-type", "Normal");
            headers.put("x-oss-storage-class", "Standard");
            headers.put("x-oss-hash-crc64ecma", meta.crc64);
            headers.put("Content-MD5", Base64.getEncoder().encodeToString(unhex(meta.etag)));
            headers.put("Accept-Ranges", "bytes");
            overrideResponseHeaders(call, headers);
            long start = 0;
            long end = meta.size - 1;
            int status = 200;
            long[] range = parseRange(call.header("Range"), meta.size);
            if (range != null) {
                start = range[0];
                end = range[1];
                status = 206;
                headers.put("Content-Range", "bytes " + start + "-" + end + "/" + meta.size);
            }
            long length = end - start + 1;
            headers.put("Content-Length", Long.toString(length));
            headers.forEach((k, v) -> call.exchange.getResponseHeaders().set(k, v));
            call.exchange.getResponseHeaders().set("x-oss-request-id", call.requestId);
            call.exchange.getResponseHeaders().set("Server", "AliyunOSS");
            if (call.method.equals("HEAD")) {
                call.exchange.sendResponseHeaders(status, -1);
                return;
            }
            call.exchange.getResponseHeaders().remove("Content-Length");
            call.exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
            if (length == 0) {
                return;
            }
            skipFully(in, start);
            try (OutputStream out = call.exchange.getResponseBody()) {
                byte[] buffer = new byte[65536];
                long left = length;
                while (left > 0) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    left -= n;
                }
            }
        }
    }

    private static void overrideResponseHeaders(Call call, Map<String, String> headers) {
        String[][] overrides = {
                {"response-content-type", "Content-Type"},
                {"response-content-disposition", "Content-Disposition"},
                {"response-content-encoding", "Content-Encoding"},
                {"response-content-language", "Content-Language"},
                {"response-cache-control", "Cache-Control"},
                {"response-expires", "Expires"}};
        for (String[] o : overrides) {
            String value = call.query.get(o[0]);
            if (value != null) {
                headers.put(o[1], value);
            }
        }
    }

    /** A single {@code bytes=a-b} range; null (whole object) when absent or unparsable, as OSS ignores those. */
    private static long[] parseRange(String header, long size) {
        if (header == null || !header.trim().startsWith("bytes=") || header.contains(",")) {
            return null;
        }
        String spec = header.trim().substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String first = spec.substring(0, dash).trim();
            String last = spec.substring(dash + 1).trim();
            long start;
            long end;
            if (first.isEmpty()) {
                long suffix = Long.parseLong(last);
                if (suffix <= 0) {
                    return null;
                }
                start = Math.max(0, size - suffix);
                end = size - 1;
            } else {
                start = Long.parseLong(first);
                end = last.isEmpty() ? size - 1 : Math.min(Long.parseLong(last), size - 1);
                if (end < start && !last.isEmpty()) {
                    return null;
                }
            }
            if (start >= size) {
                throw new OssError(416, "InvalidRange", "The requested range cannot be satisfied.")
                        .with("RangeRequested", header).with("ActualObjectSize", Long.toString(size));
            }
            return new long[] {start, end};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- listing

    private void listObjects(Call call) throws IOException {
        String prefix = orEmpty(call.query.get("prefix"));
        String marker = orEmpty(call.query.get("marker"));
        String delimiter = orEmpty(call.query.get("delimiter"));
        String encodingType = call.query.get("encoding-type");
        if (encodingType != null && !encodingType.equals("url")) {
            throw OssError.invalidArgument("The encoding-type parameter is invalid.", "encoding-type", encodingType);
        }
        int maxKeys = 100;
        String maxKeysText = call.query.get("max-keys");
        if (maxKeysText != null) {
            try {
                maxKeys = Integer.parseInt(maxKeysText);
            } catch (NumberFormatException e) {
                maxKeys = -1;
            }
            if (maxKeys < 0 || maxKeys > 1000) {
                throw OssError.invalidArgument("Argument max-keys must be an integer between 0 and 1000.",
                        "max-keys", maxKeysText);
            }
        }
        OssObjectStore.Listing listing = store.list(call.bucket, prefix, marker, delimiter, maxKeys);
        boolean encode = encodingType != null;
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult>");
        xml.append(element("Name", call.bucket))
                .append(element("Prefix", encoded(prefix, encode)))
                .append(element("Marker", encoded(marker, encode)))
                .append(element("MaxKeys", Integer.toString(maxKeys)))
                .append(element("Delimiter", encoded(delimiter, encode)))
                .append(element("IsTruncated", Boolean.toString(listing.truncated)));
        if (listing.nextMarker != null) {
            xml.append(element("NextMarker", encoded(listing.nextMarker, encode)));
        }
        if (encode) {
            xml.append(element("EncodingType", "url"));
        }
        for (OssObjectStore.ObjectMeta meta : listing.objects) {
            xml.append("<Contents>")
                    .append(element("Key", encoded(meta.key, encode)))
                    .append(element("LastModified", ISO_MILLIS.format(Instant.ofEpochMilli(meta.lastModifiedMillis))))
                    .append(element("ETag", "\"" + meta.etag + "\""))
                    .append(element("Type", "Normal"))
                    .append(element("Size", Long.toString(meta.size)))
                    .append(element("StorageClass", "Standard"))
                    .append("<Owner>").append(element("ID", OWNER_ID)).append(element("DisplayName", OWNER_ID))
                    .append("</Owner></Contents>");
        }
        for (String commonPrefix : listing.commonPrefixes) {
            xml.append("<CommonPrefixes>").append(element("Prefix", encoded(commonPrefix, encode)))
                    .append("</CommonPrefixes>");
        }
        xml.append("</ListBucketResult>");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/xml");
        send(call, 200, headers, xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * DeleteObjects ({@code POST /bucket?delete}): up to {@link #MAX_DELETE_KEYS} keys in a {@code <Delete>}
     * document whose Content-MD5 must match. As OSS does, each key is authorized as {@code oss:DeleteObject} (one
     * refused key refuses the request, nothing deleted), a missing key counts as deleted, and the answer lists the
     * deleted keys unless {@code <Quiet>true</Quiet>}.
     */
    private void deleteObjects(Call call, CredentialRegistry.Credential caller) throws IOException {
        byte[] body = readCapped(call.exchange.getRequestBody(), 2 * 1024 * 1024);
        String md5 = call.header("Content-MD5");
        if (md5 == null || !md5.equals(md5Base64(body))) {
            throw new OssError(400, "InvalidDigest", "The Content-MD5 you specified is not valid.");
        }
        DeleteDocument request = DeleteDocument.parse(body);
        if (request.keys.isEmpty() || request.keys.size() > MAX_DELETE_KEYS) {
            throw new OssError(400, "MalformedXML", "The XML you provided was not well-formed or did not validate"
                    + " against our published schema (1 to " + MAX_DELETE_KEYS + " objects).");
        }
        for (String key : request.keys) {
            authorize(caller, "oss:DeleteObject", call.bucket, key);
        }
        boolean encode = "url".equals(call.query.get("encoding-type"));
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeleteResult>");
        for (String key : request.keys) {
            store.delete(call.bucket, key);
            if (!request.quiet) {
                xml.append("<Deleted>").append(element("Key", encoded(key, encode))).append("</Deleted>");
            }
        }
        if (encode) {
            xml.append(element("EncodingType", "url"));
        }
        xml.append("</DeleteResult>");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/xml");
        send(call, 200, headers, xml.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String md5Base64(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encoded(String value, boolean encode) {
        return encode ? OssSigning.urlEncode(value) : value;
    }

    // ---------------------------------------------------------------- PostObject

    private void postObject(Call call) throws IOException {
        byte[] body = readCapped(call.exchange.getRequestBody(), MAX_POST_BYTES);
        MultipartForm form = MultipartForm.parse(call.header("Content-Type"), body);
        Map<String, String> fields = form.fields;
        String key = fields.get("key");
        if (key == null) {
            throw OssError.invalidArgument("Bucket POST must contain a field named 'key'. "
                    + "If it is specified, please check the order of the fields.", "key", null);
        }
        if (!form.hasFile()) {
            throw OssError.malformedPost("The body of your POST request is not well-formed multipart/form-data: "
                    + "no field named 'file'.");
        }
        if (form.fileName != null) {
            key = key.replace("${filename}", form.fileName);
        }
        int keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (keyBytes == 0 || keyBytes > MAX_KEY_BYTES) {
            throw new OssError(400, "InvalidObjectName", "The Length of Object name must be less than 1024.");
        }
        String accessKeyId = fields.get("OSSAccessKeyId");
        if (accessKeyId == null) {
            throw OssError.accessDenied("You have no right to access this object because of bucket acl.");
        }
        String policy = fields.get("policy");
        String signature = fields.get("Signature");
        if (policy == null || policy.isEmpty()) {
            throw OssError.invalidArgument("Bucket POST must contain a field named 'policy'. "
                    + "If it is specified, please check the order of the fields.", "policy", null);
        }
        if (signature == null || signature.isEmpty()) {
            throw OssError.invalidArgument("Bucket POST must contain a field named 'Signature'. "
                    + "If it is specified, please check the order of the fields.", "Signature", null);
        }
        Instant now = registry.clock().instant();
        CredentialRegistry.Credential credential = resolve(accessKeyId, fields.get("x-oss-security-token"), now);
        String expected = OssSigning.hmacSha1Base64(credential.accessKeySecret, policy);
        if (!OssSigning.sameSignature(expected, signature)) {
            throw OssError.signatureDoesNotMatch(accessKeyId, policy, signature);
        }
        OssPostPolicy.check(policy, fields, call.bucket, form.fileLength, now);
        // PostObject is authorized as oss:PutObject on the key as stored (after ${filename})
        authorize(credential, "oss:PutObject", call.bucket, key);

        OssObjectStore.ObjectMeta meta = new OssObjectStore.ObjectMeta();
        meta.key = key;
        for (String name : STORED_HEADERS) {
            String value = fields.get(name);
            if (value != null) {
                meta.headers.put(name, value);
            }
        }
        if (!meta.headers.containsKey("Content-Type")) {
            meta.headers.put("Content-Type",
                    form.fileContentType != null ? form.fileContentType : "application/octet-stream");
        }
        fields.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-oss-meta-")) {
                meta.userMetadata.put(lower.substring("x-oss-meta-".length()), value.trim());
            }
        });
        OssObjectStore.Staged staged = store.stage(call.bucket,
                new ByteArrayInputStream(form.fileBytes, form.fileOffset, form.fileLength), MAX_PUT_BYTES);
        String successStatus = orEmpty(fields.get("success_action_status")).trim();
        int status = successStatus.equals("200") ? 200 : successStatus.equals("201") ? 201 : 204;
        storeAndAnswer(call, staged, meta, "true".equalsIgnoreCase(fields.get("x-oss-forbid-overwrite")), status);
    }

    private static byte[] readCapped(InputStream in, int maxBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        int n;
        while ((n = in.read(buffer)) != -1) {
            if (out.size() + n > maxBytes) {
                throw new OssError(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- answers

    @Override
    protected void answerFault(HttpExchange exchange) throws IOException {
        Call call = new Call(exchange);
        sendError(call, new OssError(503, "ServiceUnavailable", "Please reduce your request rate."));
    }

    private void sendError(Call call, OssError error) throws IOException {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>");
        xml.append(element("Code", error.code))
                .append(element("Message", error.getMessage()))
                .append(element("RequestId", call.requestId))
                .append(element("HostId", "127.0.0.1"));
        error.details.forEach((name, value) -> xml.append(element(name, value)));
        xml.append("</Error>");
        byte[] body = xml.toString().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/xml");
        if (call.method.equals("HEAD")) {
            // a HEAD answer has no body: OSS puts the error document in this header instead
            headers.put("x-oss-err", Base64.getEncoder().encodeToString(body));
        }
        send(call, error.status, headers, body);
    }

    private void sendEmpty(Call call, int status, Map<String, String> headers) throws IOException {
        send(call, status, headers, null);
    }

    private void send(Call call, int status, Map<String, String> headers, byte[] body) throws IOException {
        Headers out = call.exchange.getResponseHeaders();
        headers.forEach(out::set);
        out.set("x-oss-request-id", call.requestId);
        out.set("Server", "AliyunOSS");
        boolean noBody = body == null || body.length == 0 || call.method.equals("HEAD") || status == 204;
        call.exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream stream = call.exchange.getResponseBody()) {
                stream.write(body);
            }
        }
    }

    private static String element(String name, String value) {
        return "<" + name + ">" + escapeXml(value) + "</" + name + ">";
    }

    private static String escapeXml(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&': sb.append("&amp;"); break;
                case '<': sb.append("&lt;"); break;
                case '>': sb.append("&gt;"); break;
                case '"': sb.append("&quot;"); break;
                case '\'': sb.append("&apos;"); break;
                default:
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        // not representable in XML 1.0; clients that need such keys ask for encoding-type=url
                        sb.append("&#x").append(Integer.toHexString(c)).append(';');
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.toString();
    }

    private static String newRequestId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return OssObjectStore.hex(bytes).toUpperCase(Locale.ROOT);
    }

    private static byte[] unhex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static void skipFully(InputStream in, long count) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    return;
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        while (in.read(buffer) != -1) {
            // discard the rest of a refused request so the connection can be reused
        }
    }
}
