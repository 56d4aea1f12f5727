package com.fcminiapp.kit.internal;

import com.alicloud.openservices.tablestore.SyncClient;
import com.aliyun.fc.runtime.Context;
import com.fcminiapp.common.config.AppConfig;
import com.fcminiapp.common.config.ConfigException;
import com.fcminiapp.common.config.TablestoreSettings;
import com.fcminiapp.common.credentials.RoleCredentials;
import com.fcminiapp.common.fc.InstanceClients;
import com.fcminiapp.common.session.SessionResolver;
import com.fcminiapp.common.session.TablestoreSessionStore;
import com.fcminiapp.common.tablestore.TableProvisioner;
import com.fcminiapp.common.tablestore.TablestoreClients;
import com.fcminiapp.common.users.TablestoreUserStore;
import com.fcminiapp.kit.AppFunction;
import com.fcminiapp.kit.Kit;
import com.fcminiapp.kit.internal.oss.OssClients;
import com.fcminiapp.kit.internal.oss.OssConnections;
import com.fcminiapp.kit.runtime.Assembly;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * How an app function's instance is assembled: the kit's variables, the Tablestore client (and the tables, with
 * TABLESTORE_AUTO_CREATE), the session check, the files (OSS clients built on first use), then the team's
 * constructor. Every problem of the kit's variables, the team's variables and the tables it names fails the
 * initializer once, in one ConfigException.
 */
public final class AppAssembly implements Assembly<AppInstance> {

    private final Function<Kit, AppFunction> factory;

    public AppAssembly(Function<Kit, AppFunction> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public AppInstance assemble(Map<String, String> env, RoleCredentials credentials, InstanceClients clients,
                                Context context, Clock clock) {
        AppConfig config = AppConfig.read(env);
        TeamVariables variables = new TeamVariables(env);
        if (!config.problems().isEmpty()) {
            throw refusal(new AppKit(config.appTablesKnown() ? config.appTables() : null, null, null,
                    new KitFiles(null), clock, variables), config.problems());
        }
        TablestoreSettings tables = config.tablestore();
        SyncClient tablestore = clients.add(TablestoreClients.create(tables, credentials), SyncClient::shutdown);
        if (tables.autoCreate()) {
            provision(new TableProvisioner(tablestore), tables, config.appTables());
        }
        RowService rows = config.appTables().isEmpty() ? null
                : new RowService(tablestore, config.tables(), clock);
        AppKit kit = new AppKit(config.appTables(), rows, new QueryService(tablestore),
                new KitFiles(files(config, credentials, clients, clock)), clock, variables);
        AppFunction function = construct(kit);
        kit.seal();
        SessionResolver sessions = new SessionResolver(new TablestoreSessionStore(tablestore, tables.sessionTable()),
                clock);
        // read only: the session function creates the users table, an app function never does
        return new AppInstance(sessions, function, new TablestoreUserStore(tablestore, tables.usersTable()));
    }

    /** The session table and each declared table (pk uid, id), created when missing, as the db function does. */
    private static void provision(TableProvisioner provisioner, TablestoreSettings tables, List<String> appTables) {
        TablestoreSessionStore.ensureTable(provisioner, tables.sessionTable(), tables.sessionTtl());
        for (String table : appTables) {
            provisioner.ensureTable(table, List.of(RowService.UID, RowService.ID), null);
        }
    }

    /** The users' files on the configured bucket, or null when the function has none. */
    private static FileService files(AppConfig config, RoleCredentials credentials, InstanceClients clients,
                                     Clock clock) {
        return config.ossBucket().map(bucket -> new FileService(
                OssConnections.open(config.ossEndpoint(), config.ossPublicEndpoint(),
                        config.tablestore().upstreamTimeout(), credentials, clients),
                bucket, OssClients.bucketUrl(config.ossPublicEndpoint(), bucket), credentials,
                config.uploadMaxBytes(), config.urlExpiry(), clock)).orElse(null);
    }

    /**
     * Runs the team's constructor on {@code kit}. Any problem (an undeclared table, a team variable) fails here once,
     * naming all of them; a failure of the constructor itself while there are problems is taken as their consequence
     * (a missing variable read as null).
     */
    private AppFunction construct(AppKit kit) {
        AppFunction function;
        try {
            function = factory.apply(kit);
        } catch (RuntimeException | Error e) {
            if (kit.problems().isEmpty()) {
                throw e;
            }
            throw new ConfigException(kit.problems());
        }
        if (!kit.problems().isEmpty()) {
            throw new ConfigException(kit.problems());
        }
        if (function == null) {
            throw new IllegalStateException("the function's constructor reference returned null");
        }
        return function;
    }

    /**
     * The failure of a start whose kit variables are broken: no client can be built, but the team's constructor
     * still runs on a kit without clients, so its own problems are named in the same message.
     */
    private ConfigException refusal(AppKit clientless, List<String> kitProblems) {
        try {
            factory.apply(clientless);
        } catch (RuntimeException consequence) {
            // a constructor reading a missing variable, or using a table that has no client here
        }
        List<String> all = new ArrayList<>(kitProblems);
        all.addAll(clientless.problems());
        return new ConfigException(all);
    }
}
