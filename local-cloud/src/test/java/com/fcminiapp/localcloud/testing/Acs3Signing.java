package com.fcminiapp.localcloud.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

import static com.fcminiapp.localcloud.testing.Fc2Signing.hex;

/**
 * The headers of an FC 3.0 (2023-03-30) InvokeFunction signed with ACS3-HMAC-SHA256, computed here from the published
 * algorithm; local-cloud's tests sign their 2023-03-30 calls with it.
 */
public final class Acs3Signing {

    private Acs3Signing() {
    }

    /**
     * The headers of a V3-signed POST of {@code body} to {@code host}{@code path}, by lowercase name.
     *
     * @param token the security token of an STS key, null for a permanent key
     */
    public static Map<String, String> invokeHeaders(String host, String path, byte[] body, String keyId,
                                                    String secret, String token, Instant date) {
        Map<String, String> headers = new TreeMap<>();
        headers.put("host", host);
        headers.put("x-acs-action", "InvokeFunction");
        headers.put("x-acs-version", "2023-03-30");
        headers.put("x-acs-date", DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC)
                .format(date));
        headers.put("x-acs-signature-nonce", "n" + System.nanoTime());
        headers.put("x-acs-content-sha256", hex(Fc2Signing.digest("SHA-256", body)));
        if (token != null) {
            headers.put("x-acs-security-token", token);
        }
        String signed = String.join(";", headers.keySet());
        StringBuilder canonical = new StringBuilder("POST\n" + path + "\n\n");
        headers.forEach((k, v) -> canonical.append(k).append(':').append(v).append('\n'));
        canonical.append('\n').append(signed).append('\n').append(headers.get("x-acs-content-sha256"));
        String toSign = "ACS3-HMAC-SHA256\n" + hex(Fc2Signing.digest("SHA-256",
                canonical.toString().getBytes(StandardCharsets.UTF_8)));
        headers.put("authorization", "ACS3-HMAC-SHA256 Credential=" + keyId + ",SignedHeaders=" + signed
                + ",Signature=" + hex(Fc2Signing.hmacSha256(secret, toSign)));
        return headers;
    }
}
