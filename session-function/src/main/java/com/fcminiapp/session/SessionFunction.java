package com.fcminiapp.session;

import com.alicloud.openservices.tablestore.SyncClient;
import com.aliyun.fc.runtime.Context;
import com.fcminiapp.session.alipay.AlipayAuthCodeExchanger;
import com.fcminiapp.common.config.SessionConfig;
import com.fcminiapp.common.config.TablestoreSettings;
import com.fcminiapp.common.credentials.RoleCredentials;
import com.fcminiapp.common.session.TablestoreSessionStore;
import com.fcminiapp.session.sts.InvokePolicy;
import com.fcminiapp.session.sts.StsCredentialIssuer;
import com.fcminiapp.common.tablestore.TableProvisioner;

import java.time.Clock;
import java.util.Map;

/**
 * One instance's session function, assembled once at initialize: configuration, the SDK clients (Alipay, STS,
 * Tablestore) signing with the execution role, and the service behind every entry point.
 */
public final class SessionFunction {

    private final RoleCredentials credentials;
    private final SessionActions actions;

    public SessionFunction(RoleCredentials credentials, SessionActions actions) {
        this.credentials = credentials;
        this.actions = actions;
    }

    /** Builds the production function from {@code env}, with the credentials of the initializer's context. */
    public static SessionFunction create(Map<String, String> env, Context context, Clock clock) {
        SessionConfig config = SessionConfig.from(env);
        TablestoreSettings tables = config.tablestore();
        RoleCredentials credentials = new RoleCredentials();
        credentials.refreshFrom(context);
        SyncClient tablestore = com.fcminiapp.common.tablestore.TablestoreClients.create(tables, credentials);
        if (tables.autoCreate()) {
            TablestoreSessionStore.ensureTable(new TableProvisioner(tablestore), tables.sessionTable(),
                    tables.sessionTtl());
        }
        String serviceName = config.dbServiceName()
                .orElse(context != null && context.getService() != null ? context.getService().getName() : null);
        String policy = InvokePolicy.forDbFunction(config.region(), config.accountId(), serviceName,
                config.dbFunctionName());
        SessionService service = new SessionService(
                new AlipayAuthCodeExchanger(AlipayAuthCodeExchanger.createClient(config)),
                new TablestoreSessionStore(tablestore, tables.sessionTable()),
                new StsCredentialIssuer(StsCredentialIssuer.createClient(config, credentials), config.stsRoleArn(),
                        policy, config.stsEndpoint()),
                clock, tables.sessionTtl(), config.stsDuration());
        return new SessionFunction(credentials, new SessionActions(service));
    }

    /** The actions, with the execution credentials of this invocation taken in first. */
    public SessionActions actions(Context context) {
        credentials.refreshFrom(context);
        return actions;
    }
}
