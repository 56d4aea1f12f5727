package com.fcminiapp.common.config;

import java.net.URI;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every environment variable the functions read, read here only and validated at initialize. It reads the map
 * it is given ({@code System.getenv()} in production), so local-cloud and tests can hand each function its own
 * environment. A bad environment fails with one message naming every problem; values are never echoed.
 */
public final class Config {

    public static final String DEFAULT_ALIPAY_GATEWAY = "https://openapi.alipay.com/gateway.do";

    /** The variables the session function reads (FC sets FC_REGION and FC_ACCOUNT_ID itself). */
    public static final List<String> SESSION_FUNCTION_VARIABLES = List.of(
            "ALIPAY_APP_ID", "ALIPAY_PRIVATE_KEY", "ALIPAY_PUBLIC_KEY", "ALIPAY_GATEWAY",
            "STS_ROLE_ARN", "STS_ENDPOINT", "STS_DURATION_SECONDS",
            "TABLESTORE_ENDPOINT", "TABLESTORE_INSTANCE", "TABLESTORE_AUTO_CREATE",
            "SESSION_TABLE", "SESSION_TTL_SECONDS",
            "DB_FUNCTION_NAME", "DB_SERVICE_NAME", "UPSTREAM_TIMEOUT_MS",
            "FC_REGION", "FC_ACCOUNT_ID");

    /** The variables the db function reads. */
    public static final List<String> DB_FUNCTION_VARIABLES = List.of(
            "TABLESTORE_ENDPOINT", "TABLESTORE_INSTANCE", "TABLESTORE_AUTO_CREATE",
            "SESSION_TABLE", "SESSION_TTL_SECONDS", "DATA_TABLES",
            "OSS_ENDPOINT", "OSS_PUBLIC_ENDPOINT", "OSS_BUCKET", "UPLOAD_MAX_BYTES", "URL_EXPIRY_SECONDS",
            "UPSTREAM_TIMEOUT_MS");

    private static final Pattern ROLE_ARN = Pattern.compile("acs:ram::\\d+:role/[A-Za-z0-9.@_-]{1,64}");
    private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{1,32}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+");
    private static final Pattern FC_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,127}");
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");

    // shared
    private String tablestoreEndpoint;
    private String tablestoreInstance;
    private boolean tablestoreAutoCreate;
    private String sessionTable;
    private Duration sessionTtl;
    private Duration upstreamTimeout;
    // session function
    private String alipayAppId;
    private String alipayPrivateKey;
    private String alipayPublicKey;
    private String alipayGateway;
    private String stsRoleArn;
    private String stsEndpoint;
    private Duration stsDuration;
    private String dbFunctionName;
    private String dbServiceName;
    private String region;
    private String accountId;
    // db function
    private List<String> dataTables;
    private String ossEndpoint;
    private String ossPublicEndpoint;
    private String ossBucket;
    private long uploadMaxBytes;
    private Duration urlExpiry;

    private Config() {
    }

    /** Reads and validates the session function's environment. */
    public static Config forSessionFunction(Map<String, String> env) {
        Reader r = new Reader(env);
        Config c = new Config();
        c.readShared(r);
        c.alipayAppId = r.required("ALIPAY_APP_ID", Pattern.compile("\\d{1,32}"), "a numeric Alipay app id");
        c.alipayPrivateKey = r.rsaKey("ALIPAY_PRIVATE_KEY", true);
        c.alipayPublicKey = r.rsaKey("ALIPAY_PUBLIC_KEY", false);
        c.alipayGateway = r.url("ALIPAY_GATEWAY", DEFAULT_ALIPAY_GATEWAY);
        c.stsRoleArn = r.required("STS_ROLE_ARN", ROLE_ARN, "a RAM role ARN like acs:ram::<accountId>:role/<name>");
        c.stsDuration = Duration.ofSeconds(r.integer("STS_DURATION_SECONDS", 3600, 900, 43200));
        c.dbFunctionName = r.required("DB_FUNCTION_NAME", FC_NAME, "a function name");
        c.dbServiceName = r.optional("DB_SERVICE_NAME", FC_NAME, "an FC 2.0 service name").orElse(null);
        c.region = r.required("FC_REGION", REGION, "a region id like cn-hangzhou");
        c.accountId = r.required("FC_ACCOUNT_ID", ACCOUNT_ID, "a numeric account id");
        c.stsEndpoint = r.optional("STS_ENDPOINT", Pattern.compile("(https?://)?[A-Za-z0-9.-]+(:\\d{1,5})?/?"), "a host[:port] or http(s)://host:port")
                .orElse(c.region == null ? null : "sts." + c.region + ".aliyuncs.com");
        r.finish();
        return c;
    }

    /** Reads and validates the db function's environment. */
    public static Config forDbFunction(Map<String, String> env) {
        Reader r = new Reader(env);
        Config c = new Config();
        c.readShared(r);
        c.dataTables = r.tableList("DATA_TABLES", "todo_list");
        c.ossEndpoint = r.requiredUrl("OSS_ENDPOINT");
        c.ossPublicEndpoint = r.url("OSS_PUBLIC_ENDPOINT", c.ossEndpoint);
        c.ossBucket = r.required("OSS_BUCKET", BUCKET, "an OSS bucket name");
        c.uploadMaxBytes = r.integer("UPLOAD_MAX_BYTES", 10L * 1024 * 1024, 1, 5L * 1024 * 1024 * 1024);
        c.urlExpiry = Duration.ofSeconds(r.integer("URL_EXPIRY_SECONDS", 900, 60, 86400));
        r.finish();
        return c;
    }

    private void readShared(Reader r) {
        tablestoreEndpoint = r.requiredUrl("TABLESTORE_ENDPOINT");
        tablestoreInstance = r.required("TABLESTORE_INSTANCE", Pattern.compile("[A-Za-z][A-Za-z0-9-]{2,15}"),
                "a Tablestore instance name");
        tablestoreAutoCreate = r.bool("TABLESTORE_AUTO_CREATE", true);
        sessionTable = r.optional("SESSION_TABLE", TABLE_NAME, "a Tablestore table name").orElse("session");
        sessionTtl = Duration.ofSeconds(r.integer("SESSION_TTL_SECONDS", 604800, 1800, 31536000));
        upstreamTimeout = Duration.ofMillis(r.integer("UPSTREAM_TIMEOUT_MS", 5000, 100, 60000));
    }

    public String tablestoreEndpoint() { return tablestoreEndpoint; }
    public String tablestoreInstance() { return tablestoreInstance; }
    public boolean tablestoreAutoCreate() { return tablestoreAutoCreate; }
    public String sessionTable() { return sessionTable; }
    public Duration sessionTtl() { return sessionTtl; }
    public Duration upstreamTimeout() { return upstreamTimeout; }
    public String alipayAppId() { return alipayAppId; }
    /** PKCS#8 base64; never log it. */
    public String alipayPrivateKey() { return alipayPrivateKey; }
    public String alipayPublicKey() { return alipayPublicKey; }
    public String alipayGateway() { return alipayGateway; }
    public String stsRoleArn() { return stsRoleArn; }
    public String stsEndpoint() { return stsEndpoint; }
    public Duration stsDuration() { return stsDuration; }
    public String dbFunctionName() { return dbFunctionName; }
    public Optional<String> dbServiceName() { return Optional.ofNullable(dbServiceName); }
    public String region() { return region; }
    public String accountId() { return accountId; }
    public List<String> dataTables() { return dataTables; }
    public String ossEndpoint() { return ossEndpoint; }
    public String ossPublicEndpoint() { return ossPublicEndpoint; }
    public String ossBucket() { return ossBucket; }
    public long uploadMaxBytes() { return uploadMaxBytes; }
    public Duration urlExpiry() { return urlExpiry; }

    @Override
    public String toString() {
        // deliberately no key material
        return "Config{tablestoreInstance=" + tablestoreInstance + ", sessionTable=" + sessionTable
                + ", alipayAppId=" + alipayAppId + ", dbFunctionName=" + dbFunctionName + ", region=" + region + "}";
    }

    /** Collects every problem before failing, so one deploy fixes them all. */
    private static final class Reader {
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        private String raw(String name) {
            String value = env.get(name);
            if (value == null) {
                return null;
            }
            value = value.trim();
            return value.isEmpty() ? null : value;
        }

        String required(String name, Pattern pattern, String what) {
            String value = raw(name);
            if (value == null) {
                problems.add(name + " is missing (expected " + what + ")");
                return null;
            }
            if (!pattern.matcher(value).matches()) {
                problems.add(name + " is not " + what);
                return null;
            }
            return value;
        }

        Optional<String> optional(String name, Pattern pattern, String what) {
            String value = raw(name);
            if (value == null) {
                return Optional.empty();
            }
            if (!pattern.matcher(value).matches()) {
                problems.add(name + " is not " + what);
                return Optional.empty();
            }
            return Optional.of(value);
        }

        String requiredUrl(String name) {
            String value = raw(name);
            if (value == null) {
                problems.add(name + " is missing (expected an http(s) URL)");
                return null;
            }
            return checkUrl(name, value);
        }

        String url(String name, String defaultValue) {
            String value = raw(name);
            return value == null ? defaultValue : checkUrl(name, value);
        }

        private String checkUrl(String name, String value) {
            try {
                URI uri = URI.create(value);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return value;
                }
            } catch (IllegalArgumentException ignored) {
                // reported below
            }
            problems.add(name + " is not an http(s) URL");
            return null;
        }

        long integer(String name, long defaultValue, long min, long max) {
            String value = raw(name);
            if (value == null) {
                return defaultValue;
            }
            try {
                long n = Long.parseLong(value);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            problems.add(name + " must be a whole number from " + min + " to " + max);
            return defaultValue;
        }

        boolean bool(String name, boolean defaultValue) {
            String value = raw(name);
            if (value == null) {
                return defaultValue;
            }
            if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(value);
            }
            problems.add(name + " must be true or false");
            return defaultValue;
        }

        List<String> tableList(String name, String defaultValue) {
            String value = raw(name);
            Set<String> tables = new LinkedHashSet<>();
            for (String part : (value == null ? defaultValue : value).split(",")) {
                String table = part.trim();
                if (!TABLE_NAME.matcher(table).matches()) {
                    problems.add(name + " must be a comma-separated list of Tablestore table names");
                    return List.of();
                }
                tables.add(table);
            }
            return List.copyOf(tables);
        }

        String rsaKey(String name, boolean isPrivate) {
            String value = raw(name);
            String what = isPrivate ? "a base64 PKCS#8 RSA private key (no PEM header)"
                    : "a base64 X.509 RSA public key (no PEM header)";
            if (value == null) {
                problems.add(name + " is missing (expected " + what + ")");
                return null;
            }
            String compact = value.replaceAll("\\s+", "");
            try {
                byte[] der = Base64.getDecoder().decode(compact);
                KeyFactory rsa = KeyFactory.getInstance("RSA");
                if (isPrivate) {
                    rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
                } else {
                    rsa.generatePublic(new X509EncodedKeySpec(der));
                }
                return compact;
            } catch (Exception e) {
                problems.add(name + " is not " + what);
                return null;
            }
        }

        void finish() {
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
        }
    }
}
