package com.fcminiapp.common.config;

import com.fcminiapp.common.tables.TablesDeclaration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The db function's environment, read only here and validated at initialize: the data tables (their declaration:
 * modes, rules, indexes), the session table
 * it checks sessions in, and the OSS bucket of the users' files. It reads only the variables in
 * {@link #VARIABLES} (no Alipay or STS value is within its reach); a bad environment fails with one message naming
 * every problem, never a value. Immutable.
 */
public final class DbConfig {

    /** Every variable the db function reads. */
    public static final List<String> VARIABLES = variables();

    private final TablestoreSettings tablestore;
    private final TablesDeclaration tables;
    private final boolean searchIndexAutoCreate;
    private final String ossEndpoint;
    private final String ossPublicEndpoint;
    private final String ossBucket;
    private final long uploadMaxBytes;
    private final Duration urlExpiry;

    private DbConfig(EnvReader r) {
        tablestore = TablestoreSettings.read(r);
        tables = r.declaration("DATA_TABLES", "todo_list");
        searchIndexAutoCreate = r.bool("SEARCH_INDEX_AUTO_CREATE", true);
        ossEndpoint = r.requiredUrl("OSS_ENDPOINT");
        ossPublicEndpoint = r.url("OSS_PUBLIC_ENDPOINT", ossEndpoint);
        ossBucket = r.required("OSS_BUCKET", EnvReader.BUCKET, "an OSS bucket name");
        uploadMaxBytes = r.integer("UPLOAD_MAX_BYTES", 10L * 1024 * 1024, 1, 5L * 1024 * 1024 * 1024);
        urlExpiry = Duration.ofSeconds(r.integer("URL_EXPIRY_SECONDS", 900, 60, 86400));
        if (tables != null) {
            tablestore.clashes("DATA_TABLES", tables.names()).forEach(r::problem);
        }
        r.finish();
    }

    /** Reads and validates {@code env} ({@code System.getenv()} in production). */
    public static DbConfig from(Map<String, String> env) {
        return new DbConfig(new EnvReader(env, VARIABLES));
    }

    private static List<String> variables() {
        List<String> names = new ArrayList<>(TablestoreSettings.VARIABLES);
        names.addAll(List.of("DATA_TABLES", "SEARCH_INDEX_AUTO_CREATE", "OSS_ENDPOINT", "OSS_PUBLIC_ENDPOINT", "OSS_BUCKET", "UPLOAD_MAX_BYTES",
                "URL_EXPIRY_SECONDS"));
        return List.copyOf(names);
    }

    public TablestoreSettings tablestore() { return tablestore; }
    /** The declared tables' names, in order (the first is the default table). */
    public List<String> dataTables() { return tables.names(); }
    /** DATA_TABLES: each table's mode, rules and indexes (all private, none indexed, for a comma list). */
    public TablesDeclaration tables() { return tables; }
    /**
     * Whether initialize creates each declared table's missing search index (SEARCH_INDEX_AUTO_CREATE, default true):
     * false where the deployment creates them (ROS, template.yml), true where no tool does (s.yaml).
     */
    public boolean searchIndexAutoCreate() { return searchIndexAutoCreate; }
    public String ossEndpoint() { return ossEndpoint; }
    public String ossPublicEndpoint() { return ossPublicEndpoint; }
    public String ossBucket() { return ossBucket; }
    public long uploadMaxBytes() { return uploadMaxBytes; }
    public Duration urlExpiry() { return urlExpiry; }

    @Override
    public String toString() {
        return "DbConfig{tablestoreInstance=" + tablestore.instance() + ", dataTables=" + tables.names()
                + ", ossBucket=" + ossBucket + "}";
    }
}
