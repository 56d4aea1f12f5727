package com.fcminiapp.db;

import com.alicloud.openservices.tablestore.SyncClient;
import com.aliyun.fc.runtime.Context;
import com.aliyun.oss.OSS;
import com.fcminiapp.common.config.DbConfig;
import com.fcminiapp.common.config.TablestoreSettings;
import com.fcminiapp.common.credentials.RoleCredentials;
import com.fcminiapp.common.fc.InstanceClients;
import com.fcminiapp.db.oss.OssClients;
import com.fcminiapp.common.session.SessionResolver;
import com.fcminiapp.common.session.TablestoreSessionStore;
import com.fcminiapp.common.tablestore.TableProvisioner;
import com.fcminiapp.common.tablestore.TablestoreClients;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One instance's db function, assembled once at initialize: configuration, the Tablestore and OSS clients signing
 * with the execution role, the tables (created when missing), and the actions behind the entry point. Closing it
 * shuts those clients down (FC's PreStop).
 */
public final class DbFunction implements AutoCloseable {

    private final RoleCredentials credentials;
    private final DbActions actions;
    private final InstanceClients clients;

    /** A function around collaborators built elsewhere (tests); closing it closes nothing. */
    public DbFunction(RoleCredentials credentials, DbActions actions) {
        this(credentials, actions, new InstanceClients());
    }

    private DbFunction(RoleCredentials credentials, DbActions actions, InstanceClients clients) {
        this.credentials = credentials;
        this.actions = actions;
        this.clients = clients;
    }

    /**
     * Builds the production function from {@code env}, with the credentials of the initializer's context. A failure
     * half way shuts down the clients already built (the next call builds again).
     */
    public static DbFunction create(Map<String, String> env, Context context, Clock clock) {
        DbConfig config = DbConfig.from(env);
        RoleCredentials credentials = new RoleCredentials();
        credentials.refreshFrom(context);
        InstanceClients clients = new InstanceClients();
        try {
            return new DbFunction(credentials, assemble(config, credentials, clients, clock), clients);
        } catch (RuntimeException | Error e) {
            clients.closeAfter(e);
            throw e;
        }
    }

    private static DbActions assemble(DbConfig config, RoleCredentials credentials, InstanceClients clients,
                                      Clock clock) {
        TablestoreSettings tables = config.tablestore();
        SyncClient tablestore = clients.add(TablestoreClients.create(tables, credentials), SyncClient::shutdown);
        if (tables.autoCreate()) {
            TableProvisioner provisioner = new TableProvisioner(tablestore);
            // the session function usually creates it; whichever function starts first does
            TablestoreSessionStore.ensureTable(provisioner, tables.sessionTable(), tables.sessionTtl());
            for (String table : config.dataTables()) {
                provisioner.ensureTable(table, List.of(RowService.UID, RowService.ID), null);
            }
        }
        OSS oss = clients.add(OssClients.create(config.ossEndpoint(), tables.upstreamTimeout(), credentials),
                OSS::shutdown);
        OSS publicOss = config.ossPublicEndpoint().equals(config.ossEndpoint()) ? oss : clients.add(
                OssClients.create(config.ossPublicEndpoint(), tables.upstreamTimeout(), credentials), OSS::shutdown);
        FileService files = new FileService(oss, publicOss, config.ossBucket(),
                OssClients.bucketUrl(config.ossPublicEndpoint(), config.ossBucket()), credentials,
                config.uploadMaxBytes(), config.urlExpiry(), clock);
        RowService rows = new RowService(tablestore, config.dataTables(), clock);
        SessionResolver sessions = new SessionResolver(new TablestoreSessionStore(tablestore, tables.sessionTable()),
                clock);
        return new DbActions(sessions, rows, files);
    }

    /** The actions, with the execution credentials of this invocation taken in first. */
    public DbActions actions(Context context) {
        credentials.refreshFrom(context);
        return actions;
    }

    /** Shuts down the Tablestore and OSS clients this function built. */
    @Override
    public void close() {
        clients.close();
    }
}
