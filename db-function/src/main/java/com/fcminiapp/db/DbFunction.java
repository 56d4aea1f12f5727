package com.fcminiapp.db;

import com.alicloud.openservices.tablestore.SyncClient;
import com.aliyun.fc.runtime.Context;
import com.fcminiapp.common.config.DbConfig;
import com.fcminiapp.common.config.TablestoreSettings;
import com.fcminiapp.common.credentials.RoleCredentials;
import com.fcminiapp.common.fc.InstanceClients;
import com.fcminiapp.common.session.SessionResolver;
import com.fcminiapp.common.session.TablestoreSessionStore;
import com.fcminiapp.common.tables.TableDeclaration;
import com.fcminiapp.common.tablestore.SearchIndexProvisioner;
import com.fcminiapp.common.tablestore.TableProvisioner;
import com.fcminiapp.common.tablestore.TablestoreClients;
import com.fcminiapp.kit.internal.FileService;
import com.fcminiapp.kit.internal.QueryService;
import com.fcminiapp.kit.internal.RowService;
import com.fcminiapp.kit.internal.oss.OssClients;
import com.fcminiapp.kit.internal.oss.OssConnections;
import com.fcminiapp.kit.runtime.BuiltFunction;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * One instance's db function, assembled once at initialize on the kit's lifecycle: configuration, the Tablestore
 * client and the OSS clients (built on the first file operation) signing with the execution role, the tables and
 * their search indexes (created when missing), and the actions behind the entry point. Closing it shuts those clients down (FC's PreStop).
 */
public final class DbFunction implements AutoCloseable {

    private final BuiltFunction<DbActions> built;

    /** A function around collaborators built elsewhere (tests); closing it closes nothing. */
    public DbFunction(RoleCredentials credentials, DbActions actions) {
        this(new BuiltFunction<>(credentials, actions));
    }

    private DbFunction(BuiltFunction<DbActions> built) {
        this.built = built;
    }

    /**
     * Builds the production function from {@code env}, with the credentials of the initializer's context. A failure
     * half way shuts down the clients already built (the next call builds again).
     */
    public static DbFunction create(Map<String, String> env, Context context, Clock clock) {
        return new DbFunction(BuiltFunction.build(env, context, clock, DbFunction::assemble));
    }

    /** The db function's assembly (the kit runtime runs it once per instance). */
    static DbActions assemble(Map<String, String> env, RoleCredentials credentials, InstanceClients clients,
                              Context context, Clock clock) {
        DbConfig config = DbConfig.from(env);
        TablestoreSettings tables = config.tablestore();
        SyncClient tablestore = clients.add(TablestoreClients.create(tables, credentials), SyncClient::shutdown);
        provision(config, tablestore);
        OssConnections oss = OssConnections.open(config.ossEndpoint(), config.ossPublicEndpoint(),
                tables.upstreamTimeout(), credentials, clients);
        FileService files = new FileService(oss, config.ossBucket(),
                OssClients.bucketUrl(config.ossPublicEndpoint(), config.ossBucket()), credentials,
                config.uploadMaxBytes(), config.urlExpiry(), clock);
        RowService rows = new RowService(tablestore, config.tables(), clock);
        SessionResolver sessions = new SessionResolver(new TablestoreSessionStore(tablestore, tables.sessionTable()),
                clock);
        return new DbActions(sessions, rows, new QueryService(tablestore), files);
    }

    /**
     * The session table and each declared table, created when missing (TABLESTORE_AUTO_CREATE), then each table's
     * search index, created when missing and checked when present (SEARCH_INDEX_AUTO_CREATE).
     */
    private static void provision(DbConfig config, SyncClient tablestore) {
        TablestoreSettings tables = config.tablestore();
        if (tables.autoCreate()) {
            TableProvisioner provisioner = new TableProvisioner(tablestore);
            // the session function usually creates it; whichever function starts first does
            TablestoreSessionStore.ensureTable(provisioner, tables.sessionTable(), tables.sessionTtl());
            for (String table : config.dataTables()) {
                provisioner.ensureTable(table, List.of(RowService.UID, RowService.ID), null);
            }
        }
        if (config.searchIndexAutoCreate()) {
            SearchIndexProvisioner indexes = new SearchIndexProvisioner(tablestore);
            for (TableDeclaration table : config.tables().tables()) {
                indexes.ensureIndex(table);
            }
        }
    }

    /** The actions, with the execution credentials of this invocation taken in first. */
    public DbActions actions(Context context) {
        return built.function(context);
    }

    BuiltFunction<DbActions> built() {
        return built;
    }

    /** Shuts down the Tablestore and OSS clients this function built. */
    @Override
    public void close() {
        built.close();
    }
}
