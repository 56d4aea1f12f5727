package com.fcminiapp.localcloud.standin.alipay;

import com.alipay.api.AlipayApiException;
import com.alipay.api.internal.util.AlipayEncrypt;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.standin.StandInServer;
import com.sun.net.httpserver.HttpExchange;
import com.fcminiapp.localcloud.standin.DurableStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stand-in for the Alipay open-platform gateway ({@code /gateway.do}) answering {@code alipay.system.oauth.token}
 * as {@code DefaultAlipayClient} calls it in RSA2 public-key mode. It checks the request as the real gateway
 * does (app id, method, sign type, charset, timestamp, RSA2 signature with the app's public key), signs its
 * answers with its own Alipay key pair, and accepts each auth code once: a code {@code name:anything} logs in
 * the user {@code name}, always with the same ids. It also makes what {@code my.getPhoneNumber} hands a page
 * ({@link #phoneNumberResponse}): the answer AES-encrypted with the app's AES key and signed like Alipay signs it.
 */
public final class AlipayStandIn extends StandInServer {

    /** The only method this stand-in serves. */
    public static final String OAUTH_TOKEN_METHOD = "alipay.system.oauth.token";

    /** Which user id fields a successful token answer carries. */
    public enum UidFields {
        /** {@code open_id} only, as for apps created since ~2023. */
        OPEN_ID,
        /** {@code user_id} only, as for older apps. */
        USER_ID,
        /** both {@code open_id} and {@code user_id}. */
        BOTH
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ZoneId GATEWAY_ZONE = ZoneId.of("GMT+8");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);
    private static final Set<String> CHARSETS = Set.of("utf-8", "gbk", "gb2312");
    private static final String USED_CODES_MAP = "alipay-used-auth-codes";
    private static final String NAMES_MAP = "alipay-user-names";
    private static final long ACCESS_TOKEN_SECONDS = 1_296_000L;
    private static final long REFRESH_TOKEN_SECONDS = 2_592_000L;
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final String appId;
    private final PublicKey appPublicKey;
    private final RsaKeyPair alipayKeys;
    private final Map<String, Long> usedCodes;
    /** uid (open_id and user_id) → the login name it was derived from, so the console and exports can name users. */
    private final Map<String, String> names;
    /** Null when used codes are kept in memory only. */
    private final DurableStore durability;
    private final Clock clock;
    private final List<String> acceptedCodes = new CopyOnWriteArrayList<>();
    private volatile UidFields uidFields = UidFields.OPEN_ID;
    private volatile String aesKey = newAesKey();

    /** A stand-in with a fresh Alipay key pair and an in-memory record of used codes. */
    public AlipayStandIn(int port, String appId, String appPublicKeyBase64) {
        this(port, appId, appPublicKeyBase64, RsaKeyPair.generate(), null, Clock.systemUTC());
    }

    /**
     * A stand-in signing with {@code alipayKeys} (so a restarted local server keeps its Alipay public key) and
     * remembering used codes in {@code store} when it is not null, so they stay used across a restart.
     */
    public AlipayStandIn(int port, String appId, String appPublicKeyBase64, RsaKeyPair alipayKeys, MVStore store) {
        this(port, appId, appPublicKeyBase64, alipayKeys, store, Clock.systemUTC());
    }

    /** As above, with the clock the request timestamps are checked against. */
    public AlipayStandIn(int port, String appId, String appPublicKeyBase64, RsaKeyPair alipayKeys, MVStore store,
                         Clock clock) {
        super("alipay", port);
        if (appId == null || appId.isEmpty()) {
            throw new IllegalArgumentException("appId is required");
        }
        this.appId = appId;
        this.appPublicKey = RsaKeyPair.parsePublicKey(appPublicKeyBase64);
        this.alipayKeys = alipayKeys;
        if (alipayKeys.publicKey().equals(appPublicKey)) {
            // the SDK refuses a configuration whose Alipay public key is the app's own key
            throw new IllegalArgumentException("the Alipay key pair must differ from the app key pair");
        }
        if (store == null) {
            this.usedCodes = new ConcurrentHashMap<>();
            this.names = new ConcurrentHashMap<>();
            this.durability = null;
        } else {
            MVMap<String, Long> map = store.openMap(USED_CODES_MAP);
            this.usedCodes = map;
            this.names = store.openMap(NAMES_MAP);
            this.durability = new DurableStore(store);
        }
        this.clock = clock;
    }

    @Override
    public AlipayStandIn start() {
        super.start();
        return this;
    }

    /** The URL to give {@code AlipayConfig.setServerUrl}. */
    public String gatewayUrl() {
        return endpoint() + "/gateway.do";
    }

    public String appId() {
        return appId;
    }

    /** The Alipay public key (X.509 base64) the client must be configured with to verify answers. */
    public String alipayPublicKey() {
        return alipayKeys.publicKeyX509Base64();
    }

    /** The stand-in's own key pair, for a local server that persists it. */
    public RsaKeyPair alipayKeyPair() {
        return alipayKeys;
    }

    /** A new AES-128 key, base64 as the open platform shows an app's content encryption key. */
    public static String newAesKey() {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** Encrypts phone numbers with {@code base64Key} (a local server keeps one per data folder); random by default. */
    public AlipayStandIn useAesKey(String base64Key) {
        int length = Base64.getDecoder().decode(base64Key).length;
        if (length != 16 && length != 24 && length != 32) {
            throw new IllegalArgumentException("an AES key is 16, 24 or 32 bytes");
        }
        this.aesKey = base64Key;
        return this;
    }

    /** The app's AES key (base64) the session function's ALIPAY_AES_KEY must hold to read phone numbers. */
    public String aesKey() {
        return aesKey;
    }

    /**
     * What {@code my.getPhoneNumber} gives the page as {@code res.response} when the user shares {@code mobile}:
     * {@code {"response": <AES content>, "sign": <RSA2 over the quoted content>, "sign_type": "RSA2",
     * "encrypt_type": "AES", "charset": "UTF-8"}} as a JSON string.
     */
    public String phoneNumberResponse(String mobile) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("code", "10000");
        answer.put("msg", "Success");
        answer.put("mobile", mobile);
        return encryptedResponse(answer.toString());
    }

    /** As {@link #phoneNumberResponse} around any plaintext (tests of Alipay's refusals, such as code 40003). */
    public String encryptedResponse(String plaintext) {
        String content;
        try {
            content = AlipayEncrypt.encryptContent(plaintext, "AES", aesKey, "UTF-8");
        } catch (AlipayApiException e) {
            throw new IllegalStateException("cannot AES-encrypt with the stand-in's key", e);
        }
        return signedResponse(content);
    }

    /** The response JSON around {@code content} as it is, signed by this stand-in (tests of content it cannot open). */
    public String signedResponse(String content) {
        ObjectNode response = JSON.createObjectNode();
        response.put("response", content);
        // Alipay signs the encrypted content as the JSON string it is sent as: in quotes
        response.put("sign", sign("\"" + content + "\"", StandardCharsets.UTF_8, "SHA256withRSA"));
        response.put("sign_type", "RSA2");
        response.put("encrypt_type", "AES");
        response.put("charset", "UTF-8");
        return response.toString();
    }

    /** Chooses which id fields the next token answers carry (default {@link UidFields#OPEN_ID}). */
    public void answerWith(UidFields fields) {
        this.uidFields = fields;
    }

    public UidFields uidFields() {
        return uidFields;
    }

    /**
     * The uid the product derives for {@code name} under the current {@link #uidFields()}: the {@code open_id}
     * when answers carry one, else the {@code user_id}.
     */
    public String uidFor(String name) {
        return uidFields == UidFields.USER_ID ? userIdFor(name) : openIdFor(name);
    }

    /** The {@code open_id} user {@code name} gets in this app: 46 characters of [0-9A-Za-z], stable. */
    public String openIdFor(String name) {
        byte[] digest = sha256("open_id\n" + appId + "\n" + name);
        StringBuilder out = new StringBuilder("0");
        BigInteger value = new BigInteger(1, digest);
        BigInteger base = BigInteger.valueOf(BASE62.length());
        while (out.length() < 46) {
            BigInteger[] qr = value.divideAndRemainder(base);
            out.append(BASE62.charAt(qr[1].intValue()));
            value = qr[0].signum() == 0 ? new BigInteger(1, sha256(out.toString())) : qr[0];
        }
        return out.toString();
    }

    /** The {@code user_id} user {@code name} gets: "2088" and 12 digits, stable and the same in every app. */
    public String userIdFor(String name) {
        BigInteger value = new BigInteger(1, sha256("user_id\n" + name));
        String digits = value.mod(BigInteger.TEN.pow(12)).toString();
        return "2088" + "0".repeat(12 - digits.length()) + digits;
    }

    /**
     * Records that user {@code name} exists (a login or an import named it) and returns its uid; kept with the used
     * codes, so durable once the caller's next write to the store is.
     */
    public String rememberName(String name) {
        names.put(openIdFor(name), name);
        names.put(userIdFor(name), name);
        return uidFor(name);
    }

    /** The login name {@code uid} was derived from, when a login or an import named it. */
    public Optional<String> nameOf(String uid) {
        return Optional.ofNullable(names.get(uid));
    }

    /** The uids of every user a login or an import named, under the current {@link #uidFields()}. */
    public Set<String> knownUids() {
        Set<String> uids = new java.util.TreeSet<>();
        new java.util.HashSet<>(names.values()).forEach(n -> uids.add(uidFor(n)));
        return uids;
    }

    /** The codes this stand-in accepted since it was constructed, oldest first. */
    public List<String> acceptedCodes() {
        return Collections.unmodifiableList(acceptedCodes);
    }

    /** Whether {@code code} was accepted once already (also in an earlier run when a store is used). */
    public boolean isUsed(String code) {
        return usedCodes.containsKey(code);
    }

    @Override
    protected void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String httpMethod = exchange.getRequestMethod();
        if (!"/gateway.do".equals(path)) {
            respondText(exchange, 404, "Not Found");
            return;
        }
        if (!"POST".equals(httpMethod) && !"GET".equals(httpMethod)) {
            respondText(exchange, 405, "Method Not Allowed");
            return;
        }
        byte[] body = readBody(exchange, 1 << 20);
        String rawQuery = exchange.getRequestURI().getRawQuery();
        String charsetName = findCharset(rawQuery, body);
        Charset charset = charsetName != null && CHARSETS.contains(charsetName.toLowerCase(Locale.ROOT))
                ? Charset.forName(charsetName) : StandardCharsets.UTF_8;

        Map<String, String> params = new TreeMap<>();
        parseForm(rawQuery, charset, params);
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (body.length > 0 && contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            parseForm(new String(body, StandardCharsets.ISO_8859_1), charset, params);
        }
        Answer answer = handle(params, charsetName);
        // the gateway signs its answer with the algorithm the request named, which is what the SDK verifies with
        String algorithm = "RSA".equals(params.get("sign_type")) ? "SHA1withRSA" : "SHA256withRSA";
        respondAnswer(exchange, answer, charset, algorithm);
    }

    private Answer handle(Map<String, String> params, String charsetName) {
        String[][] required = {
                {"app_id", "isv.missing-app-id", "缺少AppID参数"},
                {"method", "isv.missing-method", "缺少方法名参数"},
                {"sign", "isv.missing-signature", "缺少签名参数"},
                {"sign_type", "isv.missing-signature-type", "缺少签名类型参数"},
                {"timestamp", "isv.missing-timestamp", "缺少时间戳参数"},
                {"version", "isv.missing-version", "缺少版本参数"},
        };
        for (String[] field : required) {
            if (isEmpty(params.get(field[0]))) {
                return Answer.error("40001", "Missing Required Arguments", field[1], field[2]);
            }
        }
        if (!appId.equals(params.get("app_id"))) {
            // the gateway cannot tell which key to sign with for an unknown app: this refusal comes unsigned
            return Answer.error("40002", "Invalid Arguments", "isv.invalid-app-id", "无效的AppID参数").unsigned();
        }
        if (!OAUTH_TOKEN_METHOD.equals(params.get("method"))) {
            return invalid("isv.invalid-method", "不存在的方法名");
        }
        if (!"RSA2".equals(params.get("sign_type"))) {
            return invalid("isv.invalid-signature-type", "无效的签名类型");
        }
        if (charsetName == null || !CHARSETS.contains(charsetName.toLowerCase(Locale.ROOT))) {
            return invalid("isv.invalid-charset", "字符集错误");
        }
        String format = params.get("format");
        if (!isEmpty(format) && !"json".equalsIgnoreCase(format)) {
            return invalid("isv.invalid-format", "无效的数据格式");
        }
        if (!timestampAcceptable(params.get("timestamp"))) {
            return invalid("isv.invalid-timestamp", "非法的时间戳参数");
        }
        String signContent = signContent(params);
        if (!verify(signContent, params.get("sign"), Charset.forName(charsetName))) {
            return invalid("isv.invalid-signature",
                    "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：" + signContent);
        }
        return exchangeCode(params);
    }

    private Answer exchangeCode(Map<String, String> params) {
        String grantType = params.get("grant_type");
        if ("refresh_token".equals(grantType)) {
            // refresh tokens are never honoured here: the product only ever exchanges auth codes
            return invalid("isv.refresh-token-invalid", "刷新令牌refresh_token无效");
        }
        if (!"authorization_code".equals(grantType)) {
            return invalid("isv.grant-type-invalid", "grant_type参数不正确");
        }
        String code = params.get("code");
        int colon = code == null ? -1 : code.indexOf(':');
        if (colon <= 0) {
            return codeInvalid();
        }
        if (usedCodes.putIfAbsent(code, clock.millis()) != null) {
            return codeInvalid();
        }
        String name = code.substring(0, colon);
        rememberName(name);
        if (durability != null) {
            // a used code must stay used even if the process is killed right after answering
            durability.written();
        }
        acceptedCodes.add(code);

        ObjectNode token = JSON.createObjectNode();
        token.put("access_token", "authusrB" + randomHex(32));
        UidFields fields = uidFields;
        if (fields != UidFields.OPEN_ID) {
            token.put("user_id", userIdFor(name));
        }
        if (fields != UidFields.USER_ID) {
            token.put("open_id", openIdFor(name));
        }
        token.put("expires_in", ACCESS_TOKEN_SECONDS);
        token.put("re_expires_in", REFRESH_TOKEN_SECONDS);
        token.put("refresh_token", "authusrB" + randomHex(32));
        token.put("auth_start", TIMESTAMP.format(LocalDateTime.ofInstant(clock.instant(), GATEWAY_ZONE)));
        return new Answer("alipay_system_oauth_token_response", token.toString(), true);
    }

    private static Answer codeInvalid() {
        return invalid("isv.code-invalid", "授权码code无效");
    }

    private static Answer invalid(String subCode, String subMsg) {
        return Answer.error("40002", "Invalid Arguments", subCode, subMsg);
    }

    private boolean timestampAcceptable(String timestamp) {
        try {
            Instant sent = LocalDateTime.parse(timestamp, TIMESTAMP).atZone(GATEWAY_ZONE).toInstant();
            Duration skew = Duration.between(sent, clock.instant()).abs();
            return skew.compareTo(MAX_CLOCK_SKEW) <= 0;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** All parameters but {@code sign}, empty ones dropped, sorted by name, as {@code k=v&...} unencoded. */
    static String signContent(Map<String, String> params) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            if ("sign".equals(e.getKey()) || isEmpty(e.getKey()) || isEmpty(e.getValue())) {
                continue;
            }
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(e.getKey()).append('=').append(e.getValue());
        }
        return out.toString();
    }

    private boolean verify(String content, String signBase64, Charset charset) {
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(appPublicKey);
            verifier.update(content.getBytes(charset));
            return verifier.verify(Base64.getMimeDecoder().decode(signBase64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private String sign(String content, Charset charset, String algorithm) {
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(alipayKeys.privateKey());
            signer.update(content.getBytes(charset));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the Alipay key", e);
        }
    }

    private void respondAnswer(HttpExchange exchange, Answer answer, Charset charset, String algorithm)
            throws IOException {
        // the signed text is exactly the raw inner object the SDK cuts out of the body and verifies
        StringBuilder body = new StringBuilder("{\"").append(answer.rootName).append("\":").append(answer.innerJson);
        if (answer.signed) {
            body.append(",\"sign\":\"").append(sign(answer.innerJson, charset, algorithm)).append('"');
        }
        body.append('}');
        respond(exchange, 200, Map.of("Content-Type", "text/html;charset=" + charset.name().toLowerCase(Locale.ROOT)),
                body.toString().getBytes(charset));
    }

    @Override
    protected void answerFault(HttpExchange exchange) throws IOException {
        respondText(exchange, 503, "Service Unavailable");
    }

    private static void respondText(HttpExchange exchange, int status, String text) throws IOException {
        respond(exchange, status, Map.of("Content-Type", "text/html;charset=utf-8"),
                ("<html><body><h1>" + status + " " + text + "</h1></body></html>").getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code charset} parameter, looked up before decoding since it says how to decode the rest. */
    private static String findCharset(String rawQuery, byte[] body) {
        for (String source : new String[] {rawQuery, new String(body, StandardCharsets.ISO_8859_1)}) {
            if (source == null) {
                continue;
            }
            for (String pair : source.split("&")) {
                if (pair.startsWith("charset=")) {
                    try {
                        return URLDecoder.decode(pair.substring("charset=".length()), "ISO-8859-1");
                    } catch (UnsupportedEncodingException | IllegalArgumentException e) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    private static void parseForm(String encoded, Charset charset, Map<String, String> into) {
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
                into.put(URLDecoder.decode(key, charset.name()), URLDecoder.decode(value, charset.name()));
            } catch (UnsupportedEncodingException | IllegalArgumentException e) {
                // a malformed escape leaves the pair out; the signature check then refuses the request
            }
        }
    }

    private static boolean isEmpty(String s) {
        return s == null || s.trim().isEmpty();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomHex(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(Character.forDigit(RANDOM.nextInt(16), 16));
        }
        return out.toString();
    }

    /** One gateway answer: the response node's name, its raw JSON text, and whether it is signed. */
    private static final class Answer {
        final String rootName;
        final String innerJson;
        final boolean signed;

        Answer(String rootName, String innerJson, boolean signed) {
            this.rootName = rootName;
            this.innerJson = innerJson;
            this.signed = signed;
        }

        static Answer error(String code, String msg, String subCode, String subMsg) {
            ObjectNode node = JSON.createObjectNode();
            node.put("code", code);
            node.put("msg", msg);
            node.put("sub_code", subCode);
            node.put("sub_msg", subMsg);
            return new Answer("error_response", node.toString(), true);
        }

        Answer unsigned() {
            return new Answer(rootName, innerJson, false);
        }
    }
}
