package com.fcminiapp.common.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The session function's environment, read only here and validated at initialize: Alipay, STS, the session table
 * and the db function its credentials may invoke. It reads only the variables in {@link #VARIABLES}; values are
 * never echoed, and a bad environment fails with one message naming every problem. Immutable.
 */
public final class SessionConfig {

    public static final String DEFAULT_ALIPAY_GATEWAY = "https://openapi.alipay.com/gateway.do";

    /** Every variable the session function reads (FC sets FC_REGION and FC_ACCOUNT_ID itself). */
    public static final List<String> VARIABLES = variables();

    private static final Pattern ROLE_ARN = Pattern.compile("acs:ram::\\d+:role/[A-Za-z0-9.@_-]{1,64}");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,32}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+");
    private static final Pattern FC_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,127}");
    private static final Pattern HOST_OR_URL = Pattern.compile("(https?://)?[A-Za-z0-9.-]+(:\\d{1,5})?/?");

    private final TablestoreSettings tablestore;
    private final String alipayAppId;
    private final String alipayPrivateKey;
    private final String alipayPublicKey;
    private final String alipayGateway;
    private final String stsRoleArn;
    private final Duration stsDuration;
    private final String dbFunctionName;
    private final String dbServiceName;
    private final String region;
    private final String accountId;
    private final String stsEndpoint;

    private SessionConfig(EnvReader r) {
        tablestore = TablestoreSettings.read(r);
        alipayAppId = r.required("ALIPAY_APP_ID", DIGITS, "a numeric Alipay app id");
        alipayPrivateKey = r.rsaKey("ALIPAY_PRIVATE_KEY", true);
        alipayPublicKey = r.rsaKey("ALIPAY_PUBLIC_KEY", false);
        alipayGateway = r.url("ALIPAY_GATEWAY", DEFAULT_ALIPAY_GATEWAY);
        stsRoleArn = r.required("STS_ROLE_ARN", ROLE_ARN, "a RAM role ARN like acs:ram::<accountId>:role/<name>");
        stsDuration = Duration.ofSeconds(r.integer("STS_DURATION_SECONDS", 3600, 900, 43200));
        dbFunctionName = r.required("DB_FUNCTION_NAME", FC_NAME, "a function name");
        dbServiceName = r.optional("DB_SERVICE_NAME", FC_NAME, "an FC 2.0 service name").orElse(null);
        region = r.required("FC_REGION", REGION, "a region id like cn-hangzhou");
        accountId = r.required("FC_ACCOUNT_ID", DIGITS, "a numeric account id");
        stsEndpoint = r.optional("STS_ENDPOINT", HOST_OR_URL, "a host[:port] or http(s)://host:port")
                .orElse(region == null ? null : "sts." + region + ".aliyuncs.com");
        r.finish();
    }

    /** Reads and validates {@code env} ({@code System.getenv()} in production). */
    public static SessionConfig from(Map<String, String> env) {
        return new SessionConfig(new EnvReader(env, VARIABLES));
    }

    private static List<String> variables() {
        List<String> names = new ArrayList<>(TablestoreSettings.VARIABLES);
        names.addAll(List.of("ALIPAY_APP_ID", "ALIPAY_PRIVATE_KEY", "ALIPAY_PUBLIC_KEY", "ALIPAY_GATEWAY",
                "STS_ROLE_ARN", "STS_ENDPOINT", "STS_DURATION_SECONDS", "DB_FUNCTION_NAME", "DB_SERVICE_NAME",
                "FC_REGION", "FC_ACCOUNT_ID"));
        return List.copyOf(names);
    }

    public TablestoreSettings tablestore() { return tablestore; }
    public String alipayAppId() { return alipayAppId; }
    /** PKCS#8 base64; never log it. */
    public String alipayPrivateKey() { return alipayPrivateKey; }
    public String alipayPublicKey() { return alipayPublicKey; }
    public String alipayGateway() { return alipayGateway; }
    public String stsRoleArn() { return stsRoleArn; }
    public String stsEndpoint() { return stsEndpoint; }
    public Duration stsDuration() { return stsDuration; }
    public String dbFunctionName() { return dbFunctionName; }
    /** The db function's FC 2.0 service; empty under FC 3.0, which has none. */
    public Optional<String> dbServiceName() { return Optional.ofNullable(dbServiceName); }
    public String region() { return region; }
    public String accountId() { return accountId; }

    @Override
    public String toString() {
        // deliberately no key material
        return "SessionConfig{tablestoreInstance=" + tablestore.instance() + ", sessionTable="
                + tablestore.sessionTable() + ", alipayAppId=" + alipayAppId + ", dbFunctionName=" + dbFunctionName
                + ", region=" + region + "}";
    }
}
