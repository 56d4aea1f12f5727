package com.fcminiapp.localcloud.standin.oss;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** OSS signature V1: the string to sign, the sub-resources that belong to it, HMAC-SHA1, URL decoding. */
final class OssSigning {

    /** Query parameters that are part of the canonical resource (the SDK's {@code SignParameters} list). */
    static final Set<String> SIGNED_PARAMETERS = new HashSet<>(Arrays.asList(
            "acl", "uploads", "location", "cors", "logging", "website", "referer", "lifecycle", "delete", "append",
            "tagging", "objectMeta", "uploadId", "partNumber", "security-token", "position",
            "response-cache-control", "response-content-disposition", "response-content-encoding",
            "response-content-language", "response-content-type", "response-expires", "x-oss-process",
            "img", "style", "styleName", "replication", "replicationProgress", "replicationLocation", "cname",
            "bucketInfo", "comp", "qos", "live", "status", "vod", "startTime", "endTime", "processConfiguration",
            "symlink", "stat", "udf", "udfName", "udfImage", "udfImageDesc", "udfApplication", "udfApplicationLog",
            "restore", "versions", "versioning", "versionId", "encryption", "policy", "requestPayment",
            "x-oss-traffic-limit", "qosInfo", "asyncFetch", "sequential", "x-oss-request-payer", "vpcip", "vip",
            "inventory", "inventoryId", "continuation-token", "worm", "wormId", "wormExtend", "callback",
            "callback-var"));

    private OssSigning() {
    }

    /**
     * VERB, Content-MD5, Content-Type, Date (or Expires for a presigned URL), the {@code x-oss-*} headers folded as
     * sorted lower-case {@code name:value} lines, then {@code /bucket/key} with the signed sub-resources.
     */
    static String stringToSign(String verb, String contentMd5, String contentType, String dateOrExpires,
                               Map<String, List<String>> headers, String resource, Map<String, String> query) {
        StringBuilder sb = new StringBuilder();
        sb.append(verb).append('\n')
                .append(nullToEmpty(contentMd5).trim()).append('\n')
                .append(nullToEmpty(contentType).trim()).append('\n')
                .append(nullToEmpty(dateOrExpires).trim()).append('\n');
        TreeMap<String, String> ossHeaders = new TreeMap<>();
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-oss-") && !values.isEmpty()) {
                ossHeaders.put(lower, values.get(0).trim());
            }
        });
        ossHeaders.forEach((name, value) -> sb.append(name).append(':').append(value).append('\n'));
        sb.append(resource);
        char separator = '?';
        for (Map.Entry<String, String> e : new TreeMap<>(query).entrySet()) {
            if (!SIGNED_PARAMETERS.contains(e.getKey())) {
                continue;
            }
            sb.append(separator).append(e.getKey());
            if (e.getValue() != null) {
                sb.append('=').append(e.getValue());
            }
            separator = '&';
        }
        return sb.toString();
    }

    static String hmacSha1Base64(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean sameSignature(String expected, String provided) {
        return provided != null && MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), provided.getBytes(StandardCharsets.UTF_8));
    }

    /** Percent-decodes UTF-8; {@code +} stays a plus unless {@code plusIsSpace} (query strings). */
    static String percentDecode(String text, boolean plusIsSpace) {
        if (text.indexOf('%') < 0 && (!plusIsSpace || text.indexOf('+') < 0)) {
            return text;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && isHex(text, i + 1) && isHex(text, i + 2)) {
                out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                    bytes = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(bytes, 0, bytes.length);
            }
        }
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    private static boolean isHex(String text, int at) {
        return at < text.length() && Character.digit(text.charAt(at), 16) >= 0;
    }

    /** Parses a raw query string; a parameter without {@code =} maps to null, as OSS sub-resources do. */
    static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                params.put(percentDecode(pair, true), null);
            } else {
                params.put(percentDecode(pair.substring(0, eq), true), percentDecode(pair.substring(eq + 1), true));
            }
        }
        return params;
    }

    /** URL encoding as OSS applies it to listing fields with {@code encoding-type=url}. */
    static String urlEncode(String value) {
        try {
            return java.net.URLEncoder.encode(value, "UTF-8").replace("+", "%20").replace("*", "%2A")
                    .replace("%7E", "~");
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
