package com.fcminiapp.session.alipay;

import com.alipay.api.AlipayApiException;
import com.alipay.api.internal.util.AlipayEncrypt;
import com.alipay.api.internal.util.AlipaySignature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Opens what {@code my.getPhoneNumber} hands the page ({@code res.response}) with alipay-sdk-java's own helpers:
 * the RSA2 signature checked with the Alipay public key over the encrypted content in quotes (as Alipay signs it),
 * then the content AES-decrypted with the app's AES key. Every failure is INVALID_ARGUMENT saying what to fix and
 * never quoting the payload (the SDK's exception texts do quote it, so they are dropped).
 */
public final class PhoneNumberVerifier {

    private static final Pattern MOBILE = Pattern.compile("\\+?[0-9]{5,20}");
    private static final Pattern CODE = Pattern.compile("[0-9]{5}");
    private static final String CHARSET = "UTF-8";
    /** One answer for a wrong key and for content that decrypts to no phone answer (a wrong key can do either). */
    private static final String DECRYPT_FAILED = "The phone number could not be decrypted with ALIPAY_AES_KEY; set"
            + " it to this app's AES key (the open platform's content encryption key).";

    private final String alipayPublicKey;
    private final String aesKey;

    /** {@code alipayPublicKey}: X.509 base64 (ALIPAY_PUBLIC_KEY); {@code aesKey}: base64 (ALIPAY_AES_KEY). */
    public PhoneNumberVerifier(String alipayPublicKey, String aesKey) {
        this.alipayPublicKey = alipayPublicKey;
        this.aesKey = aesKey;
    }

    /** The verified mobile number in {@code response}, the JSON text my.getPhoneNumber gave. */
    public String verify(String response) {
        JsonNode outer = parse(response, "response is not the JSON text my.getPhoneNumber gave as res.response;"
                + " send that string unchanged.");
        String content = field(outer, "response");
        String sign = field(outer, "sign");
        expect(outer, "sign_type", "RSA2");
        expect(outer, "encrypt_type", "AES");
        expect(outer, "charset", CHARSET);
        if (!signatureHolds(content, sign)) {
            throw ApiException.invalid("The phone number's signature does not verify with the Alipay public key"
                    + " (ALIPAY_PUBLIC_KEY); send res.response of my.getPhoneNumber unchanged, from this app.");
        }
        JsonNode answer = parse(decrypt(content), DECRYPT_FAILED);
        JsonNode code = answer.get("code");
        if (code == null || !code.isTextual() || !"10000".equals(code.asText())) {
            String shown = code != null && code.isTextual() && CODE.matcher(code.asText()).matches()
                    ? " (code " + code.asText() + ")" : "";
            throw ApiException.invalid("Alipay did not give the phone number" + shown + "; the mini-program needs"
                    + " the member phone number product (获取会员手机号) and the user's consent.");
        }
        JsonNode mobile = answer.get("mobile");
        if (mobile == null || !mobile.isTextual() || !MOBILE.matcher(mobile.asText()).matches()) {
            throw ApiException.invalid("Alipay's phone answer holds no mobile number (5 to 20 digits).");
        }
        return mobile.asText();
    }

    private boolean signatureHolds(String content, String sign) {
        try {
            return AlipaySignature.rsaCheck("\"" + content + "\"", sign, alipayPublicKey, CHARSET, "RSA2");
        } catch (AlipayApiException | RuntimeException e) {
            // a sign that is not base64 or not an RSA signature: no signature at all
            return false;
        }
    }

    private String decrypt(String content) {
        try {
            return AlipayEncrypt.decryptContent(content, "AES", aesKey, CHARSET);
        } catch (AlipayApiException | RuntimeException e) {
            throw ApiException.invalid(DECRYPT_FAILED);
        }
    }

    private static JsonNode parse(String text, String problem) {
        try {
            JsonNode node = Json.readTree(text.getBytes(StandardCharsets.UTF_8));
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException | RuntimeException e) {
            // the same answer for every way it is not an object
        }
        throw ApiException.invalid(problem);
    }

    private static String field(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw ApiException.invalid("response lacks its \"" + name + "\" field; send res.response of"
                    + " my.getPhoneNumber unchanged.");
        }
        return value.asText();
    }

    /** A field that, when present, must say {@code expected} (Alipay's phone numbers are RSA2, AES, UTF-8). */
    private static void expect(JsonNode node, String name, String expected) {
        JsonNode value = node.get(name);
        if (value != null && !(value.isTextual() && value.asText().equalsIgnoreCase(expected))) {
            throw ApiException.invalid("response's \"" + name + "\" must be " + expected + ".");
        }
    }
}
