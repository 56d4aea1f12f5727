package com.fcminiapp.common.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Tablestore and timeout settings both functions read under the same names: where the instance is, whether
 * tables are created at start, the session table and its lifetime, the users table. Immutable; part of each
 * function's config.
 */
public final class TablestoreSettings {

    /** The variables read here, owned by each function that holds these settings. */
    static final List<String> VARIABLES = List.of("TABLESTORE_ENDPOINT", "TABLESTORE_INSTANCE",
            "TABLESTORE_AUTO_CREATE", "SESSION_TABLE", "SESSION_TTL_SECONDS", "UPSTREAM_TIMEOUT_MS", "USERS_TABLE");

    /** The users table's name when USERS_TABLE is not set. */
    public static final String DEFAULT_USERS_TABLE = "miniapp_users";

    private static final Pattern INSTANCE = Pattern.compile("[A-Za-z][A-Za-z0-9-]{2,15}");

    private final String endpoint;
    private final String instance;
    private final boolean autoCreate;
    private final String sessionTable;
    private final Duration sessionTtl;
    private final String usersTable;
    private final Duration upstreamTimeout;

    private TablestoreSettings(EnvReader r) {
        endpoint = r.requiredUrl("TABLESTORE_ENDPOINT");
        instance = r.required("TABLESTORE_INSTANCE", INSTANCE, "a Tablestore instance name");
        autoCreate = r.bool("TABLESTORE_AUTO_CREATE", true);
        sessionTable = r.optional("SESSION_TABLE", EnvReader.TABLE_NAME, "a Tablestore table name").orElse("session");
        sessionTtl = Duration.ofSeconds(r.integer("SESSION_TTL_SECONDS", 604800, 1800, 31536000));
        upstreamTimeout = Duration.ofMillis(r.integer("UPSTREAM_TIMEOUT_MS", 5000, 100, 60000));
        usersTable = r.optional("USERS_TABLE", EnvReader.TABLE_NAME, "a Tablestore table name")
                .orElse(DEFAULT_USERS_TABLE);
        if (usersTable.equals(sessionTable)) {
            r.problem("USERS_TABLE and SESSION_TABLE name the same table; give the users table another name");
        }
    }

    static TablestoreSettings read(EnvReader reader) {
        return new TablestoreSettings(reader);
    }

    public String endpoint() { return endpoint; }
    public String instance() { return instance; }
    public boolean autoCreate() { return autoCreate; }
    public String sessionTable() { return sessionTable; }
    public Duration sessionTtl() { return sessionTtl; }
    /** The users' own records (phone number, sessions, pending deletion): see common.users. */
    public String usersTable() { return usersTable; }
    /** The bound of every call to Alipay, STS, Tablestore or OSS. */
    public Duration upstreamTimeout() { return upstreamTimeout; }

    /**
     * The problems of data tables named in {@code variable} that are the session table or the users table (the
     * functions would read and write those as data rows); empty when none is.
     */
    public List<String> clashes(String variable, Collection<String> tables) {
        List<String> problems = new ArrayList<>();
        for (String table : tables) {
            if (table.equals(sessionTable)) {
                problems.add(variable + " names " + table + ", the session table (SESSION_TABLE); give the data"
                        + " table another name");
            } else if (table.equals(usersTable)) {
                problems.add(variable + " names " + table + ", the users table (USERS_TABLE); give the data table"
                        + " another name");
            }
        }
        return problems;
    }
}
