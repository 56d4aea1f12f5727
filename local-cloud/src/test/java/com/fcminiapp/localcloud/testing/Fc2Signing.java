package com.fcminiapp.localcloud.testing;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The headers {@code @alicloud/fc2} 2.6.6 sends with an invocation, signed as its lib/client.js and lib/helper.js
 * do; local-cloud's and the deploy module's tests sign with it.
 */
public final class Fc2Signing {

    private Fc2Signing() {
    }

    /**
     * The headers of {@code POST path} with {@code body}, by lowercase name (no {@code host}: fc2 does not sign it).
     *
     * @param token the security token of an STS key, null for a permanent key
     */
    public static Map<String, String> invokeHeaders(String path, byte[] body, String accountId, String keyId,
                                                    String secret, String token, Instant date) {
        Map<String, String> headers = new TreeMap<>();
        headers.put("accept", "application/json");
        headers.put("date", DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(date, ZoneOffset.UTC)));
        headers.put("x-fc-account-id", accountId);
        if (token != null) {
            headers.put("x-fc-security-token", token);
        }
        headers.put("content-type", "application/octet-stream");
        // fc2's content-md5 is the base64 of the hex MD5 string, not of the digest
        headers.put("content-md5", Base64.getEncoder().encodeToString(hex(digest("MD5", body))
                .getBytes(StandardCharsets.UTF_8)));
        StringBuilder toSign = new StringBuilder("POST\n" + headers.get("content-md5") + "\n"
                + headers.get("content-type") + "\n" + headers.get("date") + "\n");
        headers.forEach((k, v) -> {
            if (k.startsWith("x-fc-")) {
                toSign.append(k).append(':').append(v).append('\n');
            }
        });
        toSign.append(path);
        headers.put("authorization", "FC " + keyId + ":"
                + Base64.getEncoder().encodeToString(hmacSha256(secret, toSign.toString())));
        return headers;
    }

    public static byte[] hmacSha256(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
