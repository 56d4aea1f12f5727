package com.fcminiapp.common.config;

import com.fcminiapp.common.tables.TablesDeclaration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The variables the function kit reads for an app function: the Tablestore settings (its sessions and tables), the
 * tables it declares ({@code APP_TABLES}; each must be in the deployment's {@code DATA_TABLES} declaration when that
 * is set, which gives their modes and indexes) and where the users' files are (all optional: a function without
 * {@code OSS_BUCKET} has no files). Unlike {@link DbConfig} it does not fail on its own: the kit names its problems
 * together with the team's variables' in one failure. Immutable; never holds or shows a secret.
 */
public final class AppConfig {

    /** Every variable the kit reads; a team's own variables have other names. */
    public static final List<String> VARIABLES = variables();

    private final TablestoreSettings tablestore;
    private final List<String> appTables;
    private final boolean appTablesKnown;
    private final TablesDeclaration declared;
    private final String ossEndpoint;
    private final String ossPublicEndpoint;
    private final String ossBucket;
    private final long uploadMaxBytes;
    private final Duration urlExpiry;
    private final List<String> problems;

    private AppConfig(Map<String, String> env, EnvReader r) {
        tablestore = TablestoreSettings.read(r);
        int known = r.problems().size();
        appTables = r.tableList("APP_TABLES", "");
        appTablesKnown = r.problems().size() == known;
        declared = r.declaration("DATA_TABLES", null);
        ossEndpoint = r.url("OSS_ENDPOINT", null);
        ossPublicEndpoint = r.url("OSS_PUBLIC_ENDPOINT", ossEndpoint);
        ossBucket = r.optional("OSS_BUCKET", EnvReader.BUCKET, "an OSS bucket name").orElse(null);
        uploadMaxBytes = r.integer("UPLOAD_MAX_BYTES", 10L * 1024 * 1024, 1, 5L * 1024 * 1024 * 1024);
        urlExpiry = Duration.ofSeconds(r.integer("URL_EXPIRY_SECONDS", 900, 60, 86400));
        List<String> found = new ArrayList<>(r.problems());
        found.addAll(tablestore.clashes("APP_TABLES", appTables));
        if (declared != null) {
            found.addAll(tablestore.clashes("DATA_TABLES", declared.names()));
            appTables.stream().filter(t -> declared.table(t) == null).forEach(t -> found.add("APP_TABLES names "
                    + t + ", which DATA_TABLES does not declare (declare it in tables.json, or drop it from APP_TABLES)"));
        }
        String endpoint = env.get("OSS_ENDPOINT");
        if (ossBucket != null && (endpoint == null || endpoint.isBlank())) {
            found.add("OSS_ENDPOINT is missing (expected an http(s) URL; OSS_BUCKET is set)");
        }
        problems = List.copyOf(found);
    }

    /** Reads {@code env} ({@code System.getenv()} in production); never fails, see {@link #problems()}. */
    public static AppConfig read(Map<String, String> env) {
        return new AppConfig(env, new EnvReader(env, VARIABLES));
    }

    private static List<String> variables() {
        List<String> names = new ArrayList<>(TablestoreSettings.VARIABLES);
        names.addAll(List.of("APP_TABLES", "DATA_TABLES", "OSS_ENDPOINT", "OSS_PUBLIC_ENDPOINT", "OSS_BUCKET", "UPLOAD_MAX_BYTES",
                "URL_EXPIRY_SECONDS"));
        return List.copyOf(names);
    }

    /** Each bad or missing variable, named without its value; empty when the function can start. */
    public List<String> problems() { return problems; }
    public TablestoreSettings tablestore() { return tablestore; }
    /** The tables the function may name, in declared order; may be empty. */
    public List<String> appTables() { return appTables; }
    /**
     * The declaration of the tables the function may name: DATA_TABLES (the deployment's tables.json) when set,
     * else APP_TABLES' names as private tables; null when neither names a table.
     */
    public TablesDeclaration tables() {
        if (declared != null) {
            return declared;
        }
        return appTables.isEmpty() ? null : TablesDeclaration.of(appTables);
    }
    /** False when APP_TABLES itself is bad: then no table name can be checked against it. */
    public boolean appTablesKnown() { return appTablesKnown; }
    /** The bucket of the users' files; empty when the function has no files. */
    public Optional<String> ossBucket() { return Optional.ofNullable(ossBucket); }
    public String ossEndpoint() { return ossEndpoint; }
    public String ossPublicEndpoint() { return ossPublicEndpoint; }
    public long uploadMaxBytes() { return uploadMaxBytes; }
    public Duration urlExpiry() { return urlExpiry; }

    @Override
    public String toString() {
        return "AppConfig{tablestoreInstance=" + tablestore.instance() + ", appTables=" + appTables
                + ", ossBucket=" + ossBucket + "}";
    }
}
