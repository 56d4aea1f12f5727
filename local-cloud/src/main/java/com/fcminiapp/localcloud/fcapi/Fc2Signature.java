package com.fcminiapp.localcloud.fcapi;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The FC 2.0 (2016-08-15) request signature as {@code @alicloud/fc2} computes it: {@code FC <id>:<base64
 * HMAC-SHA256(secret, METHOD\ncontent-md5\ncontent-type\ndate\n + sorted lowercase x-fc-* "k:v\n" + path)>},
 * with the sorted {@code k=v} query lines appended for {@code /proxy/} paths. fc2's content-md5 is the base64 of
 * the hex MD5 string.
 */
public final class Fc2Signature {

    private Fc2Signature() {
    }

    /** The string to sign; {@code headers} by lowercase name; {@code query} non-null only for /proxy/ paths. */
    public static String stringToSign(String method, String path, Map<String, String> headers,
                                      Map<String, List<String>> query) {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append('\n')
                .append(headers.getOrDefault("content-md5", "")).append('\n')
                .append(headers.getOrDefault("content-type", "")).append('\n')
                .append(headers.getOrDefault("date", "")).append('\n');
        Map<String, String> fc = new TreeMap<>();
        headers.forEach((k, v) -> {
            String key = k.toLowerCase(Locale.ROOT).trim();
            if (key.startsWith("x-fc-")) {
                fc.put(key, v);
            }
        });
        fc.forEach((k, v) -> sb.append(k).append(':').append(v).append('\n'));
        sb.append(path);
        if (query != null) {
            List<String> lines = new ArrayList<>();
            query.forEach((k, values) -> values.forEach(v -> lines.add(k + "=" + v)));
            lines.sort(null);
            sb.append('\n').append(String.join("\n", lines));
        }
        return sb.toString();
    }

    /** base64(HMAC-SHA256(secret, stringToSign)). */
    public static String sign(String secret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The content-md5 value fc2 sends for {@code body}: base64 of the lowercase hex MD5. */
    public static String contentMd5(byte[] body) {
        byte[] md5 = md5(body);
        StringBuilder hex = new StringBuilder();
        for (byte b : md5) {
            hex.append(String.format("%02x", b));
        }
        return Base64.getEncoder().encodeToString(hex.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether {@code header} is fc2's form or the standard base64 of the raw MD5 for {@code body}. */
    static boolean contentMd5Matches(String header, byte[] body) {
        String trimmed = header.trim();
        return trimmed.equals(contentMd5(body)) || trimmed.equals(Base64.getEncoder().encodeToString(md5(body)));
    }

    private static byte[] md5(byte[] body) {
        try {
            return MessageDigest.getInstance("MD5").digest(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
