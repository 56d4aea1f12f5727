package com.fcminiapp.localcloud.standin.sts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;
import com.fcminiapp.localcloud.standin.StandInServer;
import com.sun.net.httpserver.HttpExchange;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stand-in for Alibaba Cloud STS answering {@code AssumeRole} (RPC style, version 2015-04-01) as
 * {@code aliyun-java-sdk-sts} with {@code aliyun-java-sdk-core} calls it. It checks the HMAC-SHA1 RPC signature
 * against the caller's secret in the {@link CredentialRegistry}, the caller's security token, the timestamp and
 * nonce, and the parameters as the real service does, then issues a temporary key into the same registry.
 */
public final class StsStandIn extends StandInServer {

    /** One accepted AssumeRole call, as tests read it back. */
    public static final class AssumeRoleCall {
        private final String roleArn;
        private final String roleSessionName;
        private final long durationSeconds;
        private final String policy;
        private final String callerAccessKeyId;
        private final String issuedAccessKeyId;
        private final Instant at;

        AssumeRoleCall(String roleArn, String roleSessionName, long durationSeconds, String policy,
                       String callerAccessKeyId, String issuedAccessKeyId, Instant at) {
            this.roleArn = roleArn;
            this.roleSessionName = roleSessionName;
            this.durationSeconds = durationSeconds;
            this.policy = policy;
            this.callerAccessKeyId = callerAccessKeyId;
            this.issuedAccessKeyId = issuedAccessKeyId;
            this.at = at;
        }

        public String roleArn() {
            return roleArn;
        }

        public String roleSessionName() {
            return roleSessionName;
        }

        /** The duration granted: the request's DurationSeconds, or 3600 when it gave none. */
        public long durationSeconds() {
            return durationSeconds;
        }

        /** The inline policy as sent, or null when the request had none. */
        public String policy() {
            return policy;
        }

        public String callerAccessKeyId() {
            return callerAccessKeyId;
        }

        public String issuedAccessKeyId() {
            return issuedAccessKeyId;
        }

        public Instant at() {
            return at;
        }

        @Override
        public String toString() {
            return "AssumeRole{" + roleArn + ", " + roleSessionName + ", " + durationSeconds + "s, caller "
                    + callerAccessKeyId + ", policy " + (policy == null ? "none" : policy.length() + " chars") + "}";
        }
    }

    public static final String API_VERSION = "2015-04-01";
    public static final long MIN_DURATION_SECONDS = 900;
    public static final long DEFAULT_DURATION_SECONDS = 3600;
    public static final int MAX_POLICY_BYTES = 2048;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOST_ID = "sts.aliyuncs.com";
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);
    private static final DateTimeFormatter ISO_SECONDS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern ROLE_ARN = Pattern.compile("acs:ram::(\\d+):role/([A-Za-z0-9.\\-]{1,64})");
    private static final Pattern ROLE_SESSION_NAME = Pattern.compile("[A-Za-z0-9.@_\\-]{2,64}");
    private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/\\-]{2,1224}");
    private static final String[] REQUIRED_COMMON = {
        "AccessKeyId", "Signature", "SignatureMethod", "SignatureNonce", "Timestamp"
    };

    private final CredentialRegistry registry;
    private final String accountId;
    private final Map<String, Long> seenNonces = new ConcurrentHashMap<>();
    private final List<AssumeRoleCall> calls = new CopyOnWriteArrayList<>();
    private volatile long maxDurationSeconds = DEFAULT_DURATION_SECONDS;
    private volatile Set<String> knownRoles;

    /** An STS for account {@code accountId} accepting the keys in {@code registry} and issuing keys into it. */
    public StsStandIn(int port, CredentialRegistry registry, String accountId) {
        super("sts", port);
        if (accountId == null || !accountId.matches("\\d+")) {
            throw new IllegalArgumentException("accountId must be digits");
        }
        this.registry = registry;
        this.accountId = accountId;
    }

    @Override
    public StsStandIn start() {
        super.start();
        return this;
    }

    /** What to give {@code request.setSysEndpoint}: {@code 127.0.0.1:PORT} (the endpoint without its scheme). */
    public String host() {
        return endpoint().substring("http://".length());
    }

    public String accountId() {
        return accountId;
    }

    /** The ARN of role {@code roleName} in this account. */
    public String roleArn(String roleName) {
        return "acs:ram::" + accountId + ":role/" + roleName.toLowerCase(Locale.ROOT);
    }

    /** The role's MaxSessionDuration: the largest DurationSeconds accepted (default 3600). */
    public void setMaxSessionDuration(long seconds) {
        if (seconds < MIN_DURATION_SECONDS) {
            throw new IllegalArgumentException("MaxSessionDuration is at least 900 seconds");
        }
        this.maxDurationSeconds = seconds;
    }

    /**
     * Limits the roles that exist in the account to {@code roleNames} (case-insensitive); AssumeRole on any
     * other answers EntityNotExist.Role. By default every well-formed role of the account exists.
     */
    public void setKnownRoles(String... roleNames) {
        Set<String> names = ConcurrentHashMap.newKeySet();
        for (String name : roleNames) {
            names.add(name.toLowerCase(Locale.ROOT));
        }
        this.knownRoles = names;
    }

    /** Every accepted AssumeRole call since the start or the last {@link #clearAssumeRoleRequests()}. */
    public List<AssumeRoleCall> assumeRoleRequests() {
        return Collections.unmodifiableList(new ArrayList<>(calls));
    }

    public void clearAssumeRoleRequests() {
        calls.clear();
    }

    @Override
    protected void serve(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        byte[] body = readBody(exchange, 1 << 20);
        if (!"/".equals(exchange.getRequestURI().getRawPath())) {
            answerError(exchange, 404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.");
            return;
        }
        if (!"POST".equals(method) && !"GET".equals(method)) {
            answerError(exchange, 400, "UnsupportedHTTPMethod", "This http method not supported.");
            return;
        }
        Map<String, String> params = new TreeMap<>();
        parseForm(exchange.getRequestURI().getRawQuery(), params);
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (body.length > 0 && contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            parseForm(new String(body, StandardCharsets.UTF_8), params);
        }
        Refusal refusal = authenticate(method, params);
        if (refusal != null) {
            answerError(exchange, refusal.status, refusal.code, refusal.message);
            return;
        }
        assumeRole(exchange, params);
    }

    /** The common RPC checks, in the order the gateway makes them; null when the caller is authenticated. */
    private Refusal authenticate(String method, Map<String, String> params) {
        if (!API_VERSION.equals(params.get("Version"))) {
            return isEmpty(params.get("Version"))
                    ? missing("Version")
                    : new Refusal(400, "InvalidVersion", "Specified parameter Version is not valid.");
        }
        if (!"AssumeRole".equals(params.get("Action"))) {
            return isEmpty(params.get("Action"))
                    ? missing("Action")
                    : new Refusal(404, "InvalidAction.NotFound",
                            "Specified api is not found, please check your url and method.");
        }
        for (String name : REQUIRED_COMMON) {
            if (isEmpty(params.get(name))) {
                return missing(name);
            }
        }
        if (!"HMAC-SHA1".equals(params.get("SignatureMethod"))) {
            return new Refusal(400, "InvalidSignatureMethod", "Specified signature method is not valid.");
        }
        String signatureVersion = params.get("SignatureVersion");
        if (signatureVersion != null && !"1.0".equals(signatureVersion)) {
            return new Refusal(400, "InvalidSignatureVersion", "Specified signature version is not valid.");
        }
        Instant now = registry.clock().instant();
        Instant sent;
        try {
            sent = Instant.from(ISO_SECONDS.parse(params.get("Timestamp")));
        } catch (DateTimeParseException e) {
            return new Refusal(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.");
        }
        if (Duration.between(sent, now).abs().compareTo(MAX_CLOCK_SKEW) > 0) {
            return new Refusal(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");
        }
        Credential caller = registry.find(params.get("AccessKeyId")).orElse(null);
        if (caller == null) {
            return new Refusal(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        }
        String stringToSign = stringToSign(method, params);
        String expected = hmacSha1(caller.accessKeySecret + "&", stringToSign);
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                params.get("Signature").getBytes(StandardCharsets.UTF_8))) {
            // the real message carries the server's string to sign; the SDK compares it with its own
            return new Refusal(400, "SignatureDoesNotMatch",
                    "Specified signature is not matched with our calculation. server string to sign is:" + stringToSign);
        }
        Refusal tokenRefusal = checkSecurityToken(caller, params.get("SecurityToken"), now);
        if (tokenRefusal != null) {
            return tokenRefusal;
        }
        if (!rememberNonce(params.get("SignatureNonce"), now)) {
            return new Refusal(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
        }
        return null;
    }

    private static Refusal checkSecurityToken(Credential caller, String token, Instant now) {
        if (!caller.isTemporary()) {
            if (isEmpty(token)) {
                return null;
            }
            return new Refusal(400, "InvalidSecurityToken.MismatchWithAccessKey",
                    "Specified SecurityToken mismatch with the AccessKey.");
        }
        if (isEmpty(token)) {
            return new Refusal(400, "MissingSecurityToken", "SecurityToken is mandatory for this action.");
        }
        if (!token.startsWith("CAIS")) {
            return new Refusal(400, "InvalidSecurityToken.Malformed", "Specified SecurityToken is malformed.");
        }
        if (!MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                caller.securityToken.getBytes(StandardCharsets.UTF_8))) {
            return new Refusal(400, "InvalidSecurityToken.MismatchWithAccessKey",
                    "Specified SecurityToken mismatch with the AccessKey.");
        }
        if (caller.isExpiredAt(now)) {
            return new Refusal(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.");
        }
        return null;
    }

    private void assumeRole(HttpExchange exchange, Map<String, String> params) throws IOException {
        Refusal refusal = null;
        String roleArn = params.get("RoleArn");
        String sessionName = params.get("RoleSessionName");
        String durationText = params.get("DurationSeconds");
        String policy = isEmpty(params.get("Policy")) ? null : params.get("Policy");
        String externalId = params.get("ExternalId");
        long duration = DEFAULT_DURATION_SECONDS;
        Matcher arn = roleArn == null ? null : ROLE_ARN.matcher(roleArn.trim());

        if (isEmpty(roleArn)) {
            refusal = missing("RoleArn");
        } else if (isEmpty(sessionName)) {
            refusal = missing("RoleSessionName");
        } else if (!arn.matches()) {
            refusal = new Refusal(400, "InvalidParameter.RoleArn", "The parameter RoleArn is wrongly formed.");
        } else if (!ROLE_SESSION_NAME.matcher(sessionName).matches()) {
            refusal = new Refusal(400, "InvalidParameter.RoleSessionName",
                    "The parameter RoleSessionName is wrongly formed.");
        } else if (!isEmpty(externalId) && !EXTERNAL_ID.matcher(externalId).matches()) {
            refusal = new Refusal(400, "InvalidParameter.ExternalId", "The parameter ExternalId is wrongly formed.");
        }
        if (refusal == null && !isEmpty(durationText)) {
            try {
                duration = Long.parseLong(durationText.trim());
            } catch (NumberFormatException e) {
                duration = -1;
            }
            if (duration < MIN_DURATION_SECONDS || duration > maxDurationSeconds) {
                refusal = new Refusal(400, "InvalidParameter.DurationSeconds",
                        "The Min/Max value of DurationSeconds is 15min/" + describeMax() + ".");
            }
        }
        if (refusal == null && policy != null) {
            if (policy.getBytes(StandardCharsets.UTF_8).length > MAX_POLICY_BYTES) {
                refusal = new Refusal(400, "InvalidParameter.PolicySize",
                        "The size of Policy must be smaller than " + MAX_POLICY_BYTES + " bytes.");
            } else if (!PolicyGrammar.isValid(policy)) {
                refusal = new Refusal(400, "InvalidParameter.PolicyGrammar",
                        "The parameter Policy has not passed grammar check.");
            }
        }
        if (refusal == null) {
            String roleAccount = arn.group(1);
            String roleName = arn.group(2).toLowerCase(Locale.ROOT);
            Set<String> roles = knownRoles;
            if (!accountId.equals(roleAccount)) {
                // another account's role does not trust this account's callers
                refusal = new Refusal(403, "NoPermission",
                        "You are not authorized to do this action. You should be authorized by RAM.");
            } else if (roles != null && !roles.contains(roleName)) {
                refusal = new Refusal(404, "EntityNotExist.Role", "The specified Role not exists .");
            } else if (!mayAssume(params.get("AccessKeyId"), roleArn(roleName))) {
                refusal = new Refusal(403, "NoPermission", "No permission perform sts:AssumeRole on this Role. "
                        + "Maybe you are not authorized to perform sts:AssumeRole or the specified role does not trust "
                        + "you: sts:AssumeRole on " + roleArn(roleName) + " is not allowed for this AccessKey.");
            }
        }
        if (refusal != null) {
            answerError(exchange, refusal.status, refusal.code, refusal.message);
            return;
        }

        String roleName = arn.group(2).toLowerCase(Locale.ROOT);
        String canonicalArn = roleArn(roleName);
        Credential issued = registry.issueTemporary(canonicalArn, sessionName, policy, Duration.ofSeconds(duration));
        calls.add(new AssumeRoleCall(roleArn, sessionName, duration, policy, params.get("AccessKeyId"),
                issued.accessKeyId, registry.clock().instant()));

        ObjectNode answer = JSON.createObjectNode();
        answer.put("RequestId", newRequestId());
        ObjectNode user = answer.putObject("AssumedRoleUser");
        user.put("Arn", canonicalArn + "/" + sessionName);
        user.put("AssumedRoleId", roleId(canonicalArn) + ":" + sessionName);
        ObjectNode credentials = answer.putObject("Credentials");
        credentials.put("SecurityToken", issued.securityToken);
        credentials.put("Expiration", ISO_SECONDS.format(issued.expiration));
        credentials.put("AccessKeySecret", issued.accessKeySecret);
        credentials.put("AccessKeyId", issued.accessKeyId);
        respondJson(exchange, 200, answer);
    }

    /**
     * RAM's check of the caller: {@code sts:AssumeRole} on the role's ARN. Every role here trusts the local account,
     * so the caller's own policies decide (the owner's key may, a key of another role only if its policies say so).
     */
    private boolean mayAssume(String callerAccessKeyId, String canonicalRoleArn) {
        return registry.find(callerAccessKeyId).map(caller -> allowed(caller, "sts:AssumeRole", canonicalRoleArn))
                .orElse(false);
    }

    private String describeMax() {
        long max = maxDurationSeconds;
        return max % 3600 == 0 ? (max / 3600) + "hr" : max + "s";
    }

    private boolean rememberNonce(String nonce, Instant now) {
        long nowMillis = now.toEpochMilli();
        long keepUntil = nowMillis + 2 * MAX_CLOCK_SKEW.toMillis();
        // a nonce only needs remembering while a request carrying it could still pass the timestamp check
        for (Iterator<Map.Entry<String, Long>> it = seenNonces.entrySet().iterator(); it.hasNext(); ) {
            if (it.next().getValue() < nowMillis) {
                it.remove();
            }
        }
        return seenNonces.putIfAbsent(nonce, keepUntil) == null;
    }

    /** "POST&%2F&" + the percent-encoded canonical query (sorted, each name and value percent-encoded). */
    static String stringToSign(String method, Map<String, String> params) {
        StringBuilder canonical = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            if ("Signature".equals(e.getKey())) {
                continue;
            }
            if (canonical.length() > 0) {
                canonical.append('&');
            }
            canonical.append(percentEncode(e.getKey())).append('=').append(percentEncode(e.getValue()));
        }
        return method + "&" + percentEncode("/") + "&" + percentEncode(canonical.toString());
    }

    static String percentEncode(String value) {
        try {
            return URLEncoder.encode(value, "UTF-8").replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hmacSha1(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A stable 19-digit role id, as RAM gives every role one. */
    private static String roleId(String roleArn) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(roleArn.getBytes(StandardCharsets.UTF_8));
            String digits = new BigInteger(1, digest).mod(BigInteger.TEN.pow(18)).toString();
            return "3" + "0".repeat(18 - digits.length()) + digits;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Refusal missing(String name) {
        return new Refusal(400, "Missing" + name, name + " is mandatory for this action.");
    }

    private void answerError(HttpExchange exchange, int status, String code, String message) throws IOException {
        String requestId = newRequestId();
        ObjectNode error = JSON.createObjectNode();
        error.put("RequestId", requestId);
        error.put("HostId", HOST_ID);
        error.put("Code", code);
        error.put("Message", message);
        error.put("Recommend", "https://api.aliyun.com/troubleshoot?q=" + code + "&product=Sts&requestId=" + requestId);
        respondJson(exchange, status, error);
    }

    @Override
    protected void answerFault(HttpExchange exchange) throws IOException {
        answerError(exchange, 503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.");
    }

    private static void respondJson(HttpExchange exchange, int status, JsonNode json) throws IOException {
        respond(exchange, status, Map.of("Content-Type", "application/json;charset=utf-8"),
                JSON.writeValueAsBytes(json));
    }

    private static void parseForm(String encoded, Map<String, String> into) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                into.put(URLDecoder.decode(key, "UTF-8"), URLDecoder.decode(value, "UTF-8"));
            } catch (UnsupportedEncodingException | IllegalArgumentException e) {
                // a malformed escape leaves the pair out; the signature check then refuses the request
            }
        }
    }

    private static String newRequestId() {
        return UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    /** A refusal: HTTP status, STS error code and message. */
    private static final class Refusal {
        final int status;
        final String code;
        final String message;

        Refusal(int status, String code, String message) {
            this.status = status;
            this.code = code;
            this.message = message;
        }
    }
}
