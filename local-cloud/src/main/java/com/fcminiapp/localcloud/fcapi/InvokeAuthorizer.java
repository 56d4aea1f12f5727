package com.fcminiapp.localcloud.fcapi;

import com.fcminiapp.localcloud.ram.AccessControl;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks FC makes before it runs an invocation: the date within 15 minutes, the AccessKey known, the
 * signature (FC 2.0's or the V3 one of the 2023-03-30 API), the security token of a temporary key (present,
 * matching, not expired), and RAM allowing the key {@code fc:InvokeFunction} on the function's ARN.
 */
public final class InvokeAuthorizer {

    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    public static final String INVOKE_ACTION = "fc:InvokeFunction";

    private static final Pattern FC_AUTHORIZATION = Pattern.compile("FC ([^:\\s]+):(\\S+)");
    private static final Pattern ACS3_AUTHORIZATION = Pattern.compile(
            "ACS3-HMAC-SHA256\\s+Credential=([^,\\s]+),\\s*SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-fA-F]+)");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final DateTimeFormatter ACS_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final CredentialRegistry registry;
    private final AccessControl access;
    private final String region;
    private final String accountId;

    public InvokeAuthorizer(CredentialRegistry registry, AccessControl access, String region, String accountId) {
        this.registry = registry;
        this.access = access;
        this.region = region;
        this.accountId = accountId;
    }

    /** The FC 2.0 ARN of a function, as the policy is matched against it. */
    public String fc2Arn(String service, String qualifier, String function) {
        return "acs:fc:" + region + ":" + accountId + ":services/" + service
                + (qualifier == null ? "" : "." + qualifier) + "/functions/" + function;
    }

    /** The FC 3.0 ARN of a function. */
    public String fc3Arn(String function, String qualifier) {
        return "acs:fc:" + region + ":" + accountId + ":functions/" + function
                + (qualifier == null ? "" : "/" + qualifier);
    }

    /**
     * Checks an FC 2.0 (fc2) request, its body included.
     *
     * @param headers by lowercase name
     * @param query   the decoded query, signed only on /proxy/ paths (null otherwise)
     */
    public Credential authorizeFc2(String method, String rawPath, Map<String, String> headers, byte[] body,
                                   Map<String, List<String>> query) throws FcError {
        Credential key = authorizeFc2Headers(method, rawPath, headers, query);
        checkContentMd5(headers, body);
        return key;
    }

    /**
     * Everything of an FC 2.0 request that its headers decide — fc2 signs the content-md5 header, not the body — so
     * a request that cannot pass is refused before its body is read: Authorization, date, key, signature, security
     * token, account.
     */
    public Credential authorizeFc2Headers(String method, String rawPath, Map<String, String> headers,
                                          Map<String, List<String>> query) throws FcError {
        String authorization = headers.get("authorization");
        if (authorization == null) {
            throw FcError.accessDenied("The request has no Authorization header.");
        }
        Matcher m = FC_AUTHORIZATION.matcher(authorization.trim());
        if (!m.matches()) {
            throw FcError.invalidArgument("The Authorization header is not in the form 'FC <AccessKeyID>:<Signature>'.");
        }
        checkSkew(parseHttpDate(headers.get("date")));
        Credential key = knownKey(m.group(1));
        String expected = Fc2Signature.sign(key.accessKeySecret,
                Fc2Signature.stringToSign(method, rawPath, headers, query));
        if (!constantTimeEquals(expected, m.group(2))) {
            throw signatureNotMatch();
        }
        checkToken(key, headers.get("x-fc-security-token"));
        checkAccount(headers.get("x-fc-account-id"));
        return key;
    }

    /** The body against the content-md5 header the signature covered (when the request sent one). */
    public void checkContentMd5(Map<String, String> headers, byte[] body) throws FcError {
        String md5 = headers.get("content-md5");
        if (md5 != null && !Fc2Signature.contentMd5Matches(md5, body)) {
            throw FcError.invalidArgument("The Content-MD5 you specified does not match the request body.");
        }
    }

    /** Checks a 2023-03-30 request signed with ACS3-HMAC-SHA256, its body included. */
    public Credential authorizeAcs3(String method, String rawPath, Map<String, List<String>> query,
                                    Map<String, String> headers, byte[] body) throws FcError {
        Credential key = authorizeAcs3Headers(method, rawPath, query, headers);
        checkContentSha256(headers, body);
        return key;
    }

    /**
     * Everything of a 2023-03-30 request that its headers decide: the signature covers x-acs-content-sha256, the
     * body's hash as the sender states it, so the body is read only after this passed.
     */
    public Credential authorizeAcs3Headers(String method, String rawPath, Map<String, List<String>> query,
                                           Map<String, String> headers) throws FcError {
        String authorization = headers.get("authorization");
        if (authorization == null) {
            throw FcError.accessDenied("The request has no Authorization header.");
        }
        Matcher m = ACS3_AUTHORIZATION.matcher(authorization.trim());
        if (!m.matches()) {
            throw FcError.invalidArgument("The Authorization header is not an ACS3-HMAC-SHA256 signature.");
        }
        String signedHeaders = m.group(2).toLowerCase(Locale.ROOT);
        checkSignedHeaders(List.of(signedHeaders.split(";")), headers);
        checkSkew(acsDate(headers.get("x-acs-date")));
        String payloadHash = headers.getOrDefault("x-acs-content-sha256", "").trim().toLowerCase(Locale.ROOT);
        if (!SHA256_HEX.matcher(payloadHash).matches()) {
            throw FcError.invalidArgument("x-acs-content-sha256 must be the hex SHA-256 of the request body.");
        }
        Credential key = knownKey(m.group(1));
        String canonical = Acs3Signature.canonicalRequest(method, rawPath, query, headers, signedHeaders, payloadHash);
        String expected = Acs3Signature.sign(key.accessKeySecret, Acs3Signature.stringToSign(canonical));
        if (!constantTimeEquals(expected, m.group(3).toLowerCase(Locale.ROOT))) {
            throw signatureNotMatch();
        }
        checkToken(key, headers.get("x-acs-security-token"));
        return key;
    }

    /** The body against the x-acs-content-sha256 the signature covered. */
    public void checkContentSha256(Map<String, String> headers, byte[] body) throws FcError {
        if (!Acs3Signature.sha256Hex(body).equalsIgnoreCase(headers.getOrDefault("x-acs-content-sha256", "").trim())) {
            throw FcError.invalidArgument("x-acs-content-sha256 does not match the request body.");
        }
    }

    private static void checkSignedHeaders(List<String> signed, Map<String, String> headers) throws FcError {
        for (String required : List.of("host", "x-acs-date", "x-acs-content-sha256")) {
            if (!signed.contains(required)) {
                throw FcError.invalidArgument("SignedHeaders must include " + required + ".");
            }
        }
        for (String name : headers.keySet()) {
            if (name.startsWith("x-acs-") && !signed.contains(name)) {
                throw FcError.invalidArgument("Header " + name + " must be signed.");
            }
        }
    }

    private static Instant acsDate(String date) throws FcError {
        try {
            if (date != null) {
                return Instant.from(ACS_DATE.parse(date.trim()));
            }
        } catch (DateTimeParseException e) {
            // refused below
        }
        throw FcError.invalidArgument("x-acs-date must be an ISO 8601 UTC time like 2026-01-01T00:00:00Z.");
    }

    private static FcError signatureNotMatch() {
        return new FcError(403, "SignatureNotMatch", "The request signature we calculated does not match the "
                + "signature you provided. Check your access key and signing method.");
    }

    /** Refuses unless RAM lets the key invoke {@code arn} (its role's policies and its inline policy). */
    public void checkPolicy(Credential key, String arn) throws FcError {
        if (!access.allows(key, INVOKE_ACTION, arn)) {
            throw FcError.accessDenied("The caller is not authorized to perform '" + INVOKE_ACTION + "' on resource '"
                    + arn + "'.");
        }
    }

    private Credential knownKey(String accessKeyId) throws FcError {
        return registry.find(accessKeyId).orElseThrow(() ->
                new FcError(403, "InvalidAccessKeyID", "The AccessKeyID you provided does not exist."));
    }

    private void checkToken(Credential key, String token) throws FcError {
        if (!key.isTemporary()) {
            if (token != null && !token.isEmpty()) {
                throw new FcError(403, "InvalidSecurityToken", "The security token does not belong to the AccessKey.");
            }
            return;
        }
        if (token == null || token.isEmpty()) {
            throw new FcError(403, "InvalidSecurityToken", "A temporary AccessKey needs its security token.");
        }
        if (!constantTimeEquals(key.securityToken, token)) {
            throw new FcError(403, "InvalidSecurityToken", "The security token does not belong to the AccessKey.");
        }
        if (key.isExpiredAt(registry.clock().instant())) {
            throw new FcError(403, "InvalidSecurityToken", "The security token has expired; get new credentials.");
        }
    }

    private void checkAccount(String header) throws FcError {
        if (header != null && !header.trim().equals(accountId)) {
            throw FcError.invalidArgument("x-fc-account-id does not match this endpoint's account " + accountId + ".");
        }
    }

    private void checkSkew(Instant sent) throws FcError {
        Instant now = registry.clock().instant();
        if (Duration.between(sent, now).abs().compareTo(MAX_SKEW) > 0) {
            throw new FcError(403, "RequestTimeTooSkewed",
                    "The difference between the request time and the server's time is too large.");
        }
    }

    private static Instant parseHttpDate(String date) throws FcError {
        if (date == null || date.isBlank()) {
            throw FcError.invalidArgument("The Date header is missing.");
        }
        try {
            return Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(date.trim()));
        } catch (DateTimeParseException e) {
            throw FcError.invalidArgument("The Date header is not an RFC 1123 date like 'Thu, 01 Jan 2026 00:00:00 GMT'.");
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /** Headers by lowercase name, first value each. */
    public static Map<String, String> lowercase(Map<String, List<String>> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (k != null && v != null && !v.isEmpty()) {
                out.putIfAbsent(k.toLowerCase(Locale.ROOT), v.get(0));
            }
        });
        return out;
    }
}
