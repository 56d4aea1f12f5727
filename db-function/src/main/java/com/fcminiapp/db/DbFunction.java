package com.fcminiapp.db;

import com.alicloud.openservices.tablestore.SyncClient;
import com.aliyun.fc.runtime.Context;
import com.aliyun.oss.OSS;
import com.fcminiapp.common.config.DbConfig;
import com.fcminiapp.common.config.TablestoreSettings;
import com.fcminiapp.common.credentials.RoleCredentials;
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
 * with the execution role, the tables (created when missing), and the actions behind the entry point.
 */
public final class DbFunction {

    private final RoleCredentials credentials;
    private final DbActions actions;

    public DbFunction(RoleCredentials credentials, DbActions actions) {
        this.credentials = credentials;
        this.actions = actions;
    }

    /** Builds the production function from {@code env}, with the credentials of the initializer's context. */
    public static DbFunction create(Map<String, String> env, Context context, Clock clock) {
        DbConfig config = DbConfig.from(env);
        TablestoreSettings tables = config.tablestore();
        RoleCredentials credentials = new RoleCredentials();
        credentials.refreshFrom(context);
        SyncClient tablestore = TablestoreClients.create(tables, credentials);
        if (tables.autoCreate()) {
            TableProvisioner provisioner = new TableProvisioner(tablestore);
            // the session function usually creates it; whichever function starts first does
            TablestoreSessionStore.ensureTable(provisioner, tables.sessionTable(), tables.sessionTtl());
            for (String table : config.dataTables()) {
                provisioner.ensureTable(table, List.of(RowService.UID, RowService.ID), null);
            }
        }
        OSS oss = OssClients.create(config.ossEndpoint(), tables.upstreamTimeout(), credentials);
        OSS publicOss = config.ossPublicEndpoint().equals(config.ossEndpoint())
                ? oss : OssClients.create(config.ossPublicEndpoint(), tables.upstreamTimeout(), credentials);
        FileService files = new FileService(oss, publicOss, config.ossBucket(),
                OssClients.bucketUrl(config.ossPublicEndpoint(), config.ossBucket()), credentials,
                config.uploadMaxBytes(), config.urlExpiry(), clock);
        RowService rows = new RowService(tablestore, config.dataTables(), clock);
        SessionResolver sessions = new SessionResolver(new TablestoreSessionStore(tablestore, tables.sessionTable()),
                clock);
        return new DbFunction(credentials, new DbActions(sessions, rows, files));
    }

    /** The actions, with the execution credentials of this invocation taken in first. */
    public DbActions actions(Context context) {
        credentials.refreshFrom(context);
        return actions;
    }
}
