package com.fcminiapp.session;

import com.alicloud.openservices.tablestore.SyncClient;
import com.aliyun.fc.runtime.Context;
import com.fcminiapp.session.alipay.AlipayAuthCodeExchanger;
import com.fcminiapp.common.config.SessionConfig;
import com.fcminiapp.common.config.TablestoreSettings;
import com.fcminiapp.common.credentials.RoleCredentials;
import com.fcminiapp.common.fc.InstanceClients;
import com.aliyuncs.IAcsClient;
import com.fcminiapp.common.session.TablestoreSessionStore;
import com.fcminiapp.session.sts.InvokePolicy;
import com.fcminiapp.session.sts.StsCredentialIssuer;
import com.fcminiapp.common.tablestore.TableProvisioner;

import java.time.Clock;
import java.util.Map;

/**
 * One instance's session function, assembled once at initialize: configuration, the SDK clients (Alipay, STS,
 * Tablestore) signing with the execution role, and the service behind every entry point. Closing it shuts the
 * Tablestore and STS clients down (FC's PreStop); the Alipay client holds no thread or pool to close.
 */
public final class SessionFunction implements AutoCloseable {

    private final RoleCredentials credentials;
    private final SessionActions actions;
    private final InstanceClients clients;

    /** A function around collaborators built elsewhere (tests); closing it closes nothing. */
    public SessionFunction(RoleCredentials credentials, SessionActions actions) {
        this(credentials, actions, new InstanceClients());
    }

    private SessionFunction(RoleCredentials credentials, SessionActions actions, InstanceClients clients) {
        this.credentials = credentials;
        this.actions = actions;
        this.clients = clients;
    }

    /**
     * Builds the production function from {@code env}, with the credentials of the initializer's context. A failure
     * half way shuts down the clients already built (the next call builds again).
     */
    public static SessionFunction create(Map<String, String> env, Context context, Clock clock) {
        SessionConfig config = SessionConfig.from(env);
        RoleCredentials credentials = new RoleCredentials();
        credentials.refreshFrom(context);
        InstanceClients clients = new InstanceClients();
        try {
            return new SessionFunction(credentials, assemble(config, context, credentials, clients, clock), clients);
        } catch (RuntimeException | Error e) {
            clients.closeAfter(e);
            throw e;
        }
    }

    private static SessionActions assemble(SessionConfig config, Context context, RoleCredentials credentials,
                                           InstanceClients clients, Clock clock) {
        TablestoreSettings tables = config.tablestore();
        SyncClient tablestore = clients.add(
                com.fcminiapp.common.tablestore.TablestoreClients.create(tables, credentials), SyncClient::shutdown);
        if (tables.autoCreate()) {
            TablestoreSessionStore.ensureTable(new TableProvisioner(tablestore), tables.sessionTable(),
                    tables.sessionTtl());
        }
        String serviceName = config.dbServiceName()
                .orElse(context != null && context.getService() != null ? context.getService().getName() : null);
        String policy = InvokePolicy.forDbFunction(config.region(), config.accountId(), serviceName,
                config.dbFunctionName(), config.callableFunctions());
        SessionService service = new SessionService(
                new AlipayAuthCodeExchanger(AlipayAuthCodeExchanger.createClient(config)),
                new TablestoreSessionStore(tablestore, tables.sessionTable()),
                new StsCredentialIssuer(clients.add(StsCredentialIssuer.createClient(config, credentials),
                        IAcsClient::shutdown), config.stsRoleArn(), policy, config.stsEndpoint()),
                clock, tables.sessionTtl(), config.stsDuration());
        return new SessionActions(service);
    }

    /** The actions, with the execution credentials of this invocation taken in first. */
    public SessionActions actions(Context context) {
        credentials.refreshFrom(context);
        return actions;
    }

    /** Shuts down the Tablestore and STS clients this function built. */
    @Override
    public void close() {
        clients.close();
    }
}
