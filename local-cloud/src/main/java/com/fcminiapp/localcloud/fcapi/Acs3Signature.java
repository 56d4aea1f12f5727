package com.fcminiapp.localcloud.fcapi;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Alibaba Cloud's V3 request signature ({@code ACS3-HMAC-SHA256}), which FC 3.0's 2023-03-30 API takes:
 * {@code Authorization: ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>} over the canonical
 * request {@code METHOD\nURI\nQUERY\nHEADERS\nSIGNED_HEADERS\nhex(sha256(body))}.
 */
public final class Acs3Signature {

    public static final String ALGORITHM = "ACS3-HMAC-SHA256";

    private Acs3Signature() {
    }

    /**
     * @param headers       request headers by lowercase name
     * @param signedHeaders lowercase names, in the order given by the request ({@code ;}-joined)
     */
    public static String canonicalRequest(String method, String rawPath, Map<String, List<String>> query,
                                          Map<String, String> headers, String signedHeaders, String payloadHash) {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append('\n').append(rawPath.isEmpty() ? "/" : rawPath).append('\n');
        Map<String, List<String>> sorted = new TreeMap<>();
        query.forEach((k, v) -> sorted.put(encode(k), v));
        List<String> pairs = new ArrayList<>();
        sorted.forEach((k, values) -> values.forEach(v -> pairs.add(k + "=" + encode(v))));
        sb.append(String.join("&", pairs)).append('\n');
        for (String name : signedHeaders.split(";")) {
            sb.append(name).append(':').append(headers.getOrDefault(name, "").trim()).append('\n');
        }
        sb.append('\n').append(signedHeaders).append('\n').append(payloadHash);
        return sb.toString();
    }

    public static String stringToSign(String canonicalRequest) {
        return ALGORITHM + "\n" + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    public static String sign(String secret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return hex(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256Hex(byte[] data) {
        try {
            return hex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 3986 percent-encoding as the V3 signature wants it. */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
