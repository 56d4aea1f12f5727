package com.fcminiapp.common.config;

import com.fcminiapp.common.tables.TablesDeclaration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The session function's environment, read only here and validated at initialize: Alipay, STS, the session table,
 * the functions its credentials may invoke (the db function and {@code CALLABLE_FUNCTIONS}), and what an account
 * deletion clears (the declared data tables, the app functions' own tables, the OSS bucket of the users' files). It reads only the
 * variables in {@link #VARIABLES}; values are never echoed, and a bad environment fails with one message naming
 * every problem. Immutable.
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
    /** Any value: CALLABLE_FUNCTIONS is checked entry by entry, so a problem names the entry's position. */
    private static final Pattern ANY = Pattern.compile("(?s).*");
    private static final String CALLABLE = "CALLABLE_FUNCTIONS";

    private final TablestoreSettings tablestore;
    private final String alipayAppId;
    private final String alipayPrivateKey;
    private final String alipayPublicKey;
    private final String alipayGateway;
    private final String alipayAesKey;
    private final String stsRoleArn;
    private final Duration stsDuration;
    private final String dbFunctionName;
    private final String dbServiceName;
    private final String region;
    private final String accountId;
    private final String stsEndpoint;
    private final List<CallableFunction> callableFunctions;
    private final TablesDeclaration dataTables;
    private final List<String> appTables;
    private final String ossEndpoint;
    private final String ossPublicEndpoint;
    private final String ossBucket;

    private SessionConfig(EnvReader r) {
        tablestore = TablestoreSettings.read(r);
        alipayAppId = r.required("ALIPAY_APP_ID", DIGITS, "a numeric Alipay app id");
        alipayPrivateKey = r.rsaKey("ALIPAY_PRIVATE_KEY", true);
        alipayPublicKey = r.rsaKey("ALIPAY_PUBLIC_KEY", false);
        alipayGateway = r.url("ALIPAY_GATEWAY", DEFAULT_ALIPAY_GATEWAY);
        alipayAesKey = r.aesKey("ALIPAY_AES_KEY");
        stsRoleArn = r.required("STS_ROLE_ARN", ROLE_ARN, "a RAM role ARN like acs:ram::<accountId>:role/<name>");
        stsDuration = Duration.ofSeconds(r.integer("STS_DURATION_SECONDS", 3600, 900, 43200));
        dbFunctionName = r.required("DB_FUNCTION_NAME", FC_NAME, "a function name");
        dbServiceName = r.optional("DB_SERVICE_NAME", FC_NAME, "an FC 2.0 service name").orElse(null);
        region = r.required("FC_REGION", REGION, "a region id like cn-hangzhou");
        accountId = r.required("FC_ACCOUNT_ID", DIGITS, "a numeric account id");
        stsEndpoint = r.optional("STS_ENDPOINT", HOST_OR_URL, "a host[:port] or http(s)://host:port")
                .orElse(region == null ? null : "sts." + region + ".aliyuncs.com");
        List<String> problems = new ArrayList<>();
        callableFunctions = callables(r.optional(CALLABLE, ANY, "a comma-separated list").orElse(""), problems);
        // the db function's values: a deletion must clear every table and folder the db function writes
        dataTables = r.declaration("DATA_TABLES", "todo_list");
        if (dataTables != null) {
            problems.addAll(tablestore.clashes("DATA_TABLES", dataTables.names()));
        }
        appTables = appTables(r, dataTables, problems);
        ossEndpoint = r.requiredUrl("OSS_ENDPOINT");
        ossPublicEndpoint = r.url("OSS_PUBLIC_ENDPOINT", ossEndpoint);
        ossBucket = r.required("OSS_BUCKET", EnvReader.BUCKET, "an OSS bucket name");
        finish(r, problems);
    }

    /**
     * APP_TABLES: the app functions' tables outside DATA_TABLES (the union of their APP_TABLES less DATA_TABLES'
     * names), AppConfig's list rules; each a private table whose partition {@code uid=<uid>} a deletion clears. A
     * name DATA_TABLES declares is refused: its mode there says which rows are the user's, one fact in one place.
     */
    private List<String> appTables(EnvReader r, TablesDeclaration data, List<String> problems) {
        List<String> tables = r.tableList("APP_TABLES", "");
        problems.addAll(tablestore.clashes("APP_TABLES", tables));
        if (data != null) {
            tables.stream().filter(t -> data.table(t) != null).forEach(t -> problems.add("APP_TABLES names " + t
                    + ", which DATA_TABLES declares (a deletion clears it as DATA_TABLES says; drop it from"
                    + " APP_TABLES)"));
        }
        return tables;
    }

    /** The reader's problems and {@code more}, in one ConfigException. */
    private static void finish(EnvReader r, List<String> more) {
        List<String> problems = new ArrayList<>();
        try {
            r.finish();
        } catch (ConfigException e) {
            problems.addAll(e.problems());
        }
        problems.addAll(more);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }

    /**
     * CALLABLE_FUNCTIONS: comma-separated {@code service/function} (FC 2.0) or {@code function} (FC 3.0) entries,
     * blanks around each ignored, none empty and none twice. A problem names the entry's position, never its text.
     */
    private static List<CallableFunction> callables(String value, List<String> problems) {
        if (value.isEmpty()) {
            return List.of();
        }
        Map<CallableFunction, Integer> positions = new LinkedHashMap<>();
        String[] entries = value.split(",", -1);
        for (int position = 1; position <= entries.length; position++) {
            String[] parts = entries[position - 1].trim().split("/", -1);
            if (parts.length > 2 || !Arrays.stream(parts).allMatch(p -> FC_NAME.matcher(p).matches())) {
                problems.add(CALLABLE + " entry " + position + " is not service/function or function (each name a"
                        + " letter or _, then up to 127 letters, digits, _ or -)");
                continue;
            }
            CallableFunction callable = parts.length == 2 ? new CallableFunction(parts[0], parts[1])
                    : new CallableFunction(null, parts[0]);
            Integer earlier = positions.putIfAbsent(callable, position);
            if (earlier != null) {
                problems.add(CALLABLE + " entry " + position + " repeats entry " + earlier);
            }
        }
        return List.copyOf(positions.keySet());
    }

    /**
     * A problem of this configuration found where it is used rather than where it is read (the users' inline
     * policy, built from it, over STS's limit), refused like the ones {@link #from} finds.
     */
    public static ConfigException problem(String problem) {
        return new ConfigException(List.of(problem));
    }

    /** Reads and validates {@code env} ({@code System.getenv()} in production). */
    public static SessionConfig from(Map<String, String> env) {
        return new SessionConfig(new EnvReader(env, VARIABLES));
    }

    private static List<String> variables() {
        List<String> names = new ArrayList<>(TablestoreSettings.VARIABLES);
        names.addAll(List.of("ALIPAY_APP_ID", "ALIPAY_PRIVATE_KEY", "ALIPAY_PUBLIC_KEY", "ALIPAY_GATEWAY",
                "ALIPAY_AES_KEY", "STS_ROLE_ARN", "STS_ENDPOINT", "STS_DURATION_SECONDS", "DB_FUNCTION_NAME",
                "DB_SERVICE_NAME", CALLABLE, "FC_REGION", "FC_ACCOUNT_ID", "DATA_TABLES", "APP_TABLES", "OSS_ENDPOINT",
                "OSS_PUBLIC_ENDPOINT", "OSS_BUCKET"));
        return List.copyOf(names);
    }

    public TablestoreSettings tablestore() { return tablestore; }
    public String alipayAppId() { return alipayAppId; }
    /** PKCS#8 base64; never log it. */
    public String alipayPrivateKey() { return alipayPrivateKey; }
    public String alipayPublicKey() { return alipayPublicKey; }
    public String alipayGateway() { return alipayGateway; }
    /**
     * The app's AES key (base64, as the open platform shows it) that phone numbers are decrypted with; empty when
     * ALIPAY_AES_KEY is not set (no phone numbers on this deployment). Never log it.
     */
    public Optional<String> alipayAesKey() { return Optional.ofNullable(alipayAesKey); }
    public String stsRoleArn() { return stsRoleArn; }
    public String stsEndpoint() { return stsEndpoint; }
    public Duration stsDuration() { return stsDuration; }
    public String dbFunctionName() { return dbFunctionName; }
    /** The db function's FC 2.0 service; empty under FC 3.0, which has none. */
    public Optional<String> dbServiceName() { return Optional.ofNullable(dbServiceName); }
    public String region() { return region; }
    public String accountId() { return accountId; }
    /** The app functions users' credentials may invoke besides the db function, in the variable's order. */
    public List<CallableFunction> callableFunctions() { return callableFunctions; }
    /** DATA_TABLES, as the db function reads it: the tables whose rows an account deletion removes. */
    public TablesDeclaration dataTables() { return dataTables; }
    /**
     * APP_TABLES: the tables only app functions name (outside DATA_TABLES), private; an account deletion clears the
     * user's partition of each. Empty when unset.
     */
    public List<String> appTables() { return appTables; }
    public String ossEndpoint() { return ossEndpoint; }
    /** OSS_PUBLIC_ENDPOINT, OSS_ENDPOINT when unset (the session function signs no URL; the kit's clients take it). */
    public String ossPublicEndpoint() { return ossPublicEndpoint; }
    /** The bucket of the users' files ({@code users/<uid>/}, {@code public/<uid>/}). */
    public String ossBucket() { return ossBucket; }

    @Override
    public String toString() {
        // deliberately no key material
        return "SessionConfig{tablestoreInstance=" + tablestore.instance() + ", sessionTable="
                + tablestore.sessionTable() + ", alipayAppId=" + alipayAppId + ", dbFunctionName=" + dbFunctionName
                + ", region=" + region + ", callableFunctions=" + callableFunctions + ", dataTables="
                + (dataTables == null ? null : dataTables.names()) + ", appTables=" + appTables + ", ossBucket="
                + ossBucket + "}";
    }

    /**
     * One entry of CALLABLE_FUNCTIONS: a function and, in an FC 2.0 deployment, the service it lives in (FC 3.0
     * has no services).
     */
    public static final class CallableFunction {
        private final String service;
        private final String function;

        public CallableFunction(String service, String function) {
            this.service = service;
            this.function = Objects.requireNonNull(function, "function");
        }

        /** The FC 2.0 service; empty for an FC 3.0 entry. */
        public Optional<String> service() { return Optional.ofNullable(service); }
        public String function() { return function; }

        @Override
        public boolean equals(Object o) {
            return o instanceof CallableFunction && Objects.equals(service, ((CallableFunction) o).service)
                    && function.equals(((CallableFunction) o).function);
        }

        @Override
        public int hashCode() {
            return Objects.hash(service, function);
        }

        /** {@code service/function}, or {@code function} alone, as the variable writes it. */
        @Override
        public String toString() {
            return service == null ? function : service + "/" + function;
        }
    }
}
