package com.fcminiapp.session;

import com.alicloud.openservices.tablestore.SyncClient;
import com.aliyun.fc.runtime.Context;
import com.fcminiapp.session.alipay.AlipayAuthCodeExchanger;
import com.fcminiapp.common.config.SessionConfig;
import com.fcminiapp.common.config.TablestoreSettings;
import com.fcminiapp.common.credentials.RoleCredentials;
import com.fcminiapp.common.fc.InstanceClients;
import com.aliyuncs.IAcsClient;
import com.fcminiapp.common.session.SessionResolver;
import com.fcminiapp.common.session.TablestoreSessionStore;
import com.fcminiapp.common.users.TablestoreUserStore;
import com.fcminiapp.common.users.UserStore;
import com.fcminiapp.kit.internal.oss.OssConnections;
import com.fcminiapp.session.account.AccountDeletionService;
import com.fcminiapp.session.alipay.PhoneNumberVerifier;
import com.fcminiapp.session.sts.InvokePolicy;
import com.fcminiapp.session.sts.StsCredentialIssuer;
import com.fcminiapp.common.tablestore.TableProvisioner;

import java.time.Clock;
import java.util.Map;

/**
 * The session function's assembly, run once per instance on the kit's lifecycle: configuration, the SDK clients
 * (Alipay, STS, Tablestore, and OSS once an account deletion needs it) signing with the execution role, and the
 * services behind every entry point (sessions, account deletion; phone numbers, stored in the users table). PreStop
 * shuts the Tablestore, STS and OSS clients down; the Alipay client holds no thread or pool to close.
 */
public final class SessionFunction {

    private SessionFunction() {
    }

    /** Builds the actions from {@code env}; the clients it builds are registered in {@code clients}. */
    static SessionActions assemble(Map<String, String> env, RoleCredentials credentials, InstanceClients clients,
                                   Context context, Clock clock) {
        return assemble(SessionConfig.from(env), context, credentials, clients, clock);
    }

    private static SessionActions assemble(SessionConfig config, Context context, RoleCredentials credentials,
                                           InstanceClients clients, Clock clock) {
        TablestoreSettings tables = config.tablestore();
        SyncClient tablestore = clients.add(
                com.fcminiapp.common.tablestore.TablestoreClients.create(tables, credentials), SyncClient::shutdown);
        if (tables.autoCreate()) {
            TablestoreSessionStore.ensureTable(new TableProvisioner(tablestore), tables.sessionTable(),
                    tables.sessionTtl());
            TablestoreUserStore.ensureTable(new TableProvisioner(tablestore), tables.usersTable());
        }
        TablestoreSessionStore sessions = new TablestoreSessionStore(tablestore, tables.sessionTable());
        UserStore users = new TablestoreUserStore(tablestore, tables.usersTable());
        AccountDeletionService deletion = deletion(config, credentials, clients, tablestore, sessions, users, clock);
        String serviceName = config.dbServiceName()
                .orElse(context != null && context.getService() != null ? context.getService().getName() : null);
        String policy = InvokePolicy.forDbFunction(config.region(), config.accountId(), serviceName,
                config.dbFunctionName(), config.callableFunctions());
        SessionService service = new SessionService(
                new AlipayAuthCodeExchanger(AlipayAuthCodeExchanger.createClient(config)), sessions,
                new StsCredentialIssuer(clients.add(StsCredentialIssuer.createClient(config, credentials),
                        IAcsClient::shutdown), config.stsRoleArn(), policy, config.stsEndpoint()),
                users, deletion, clock, tables.sessionTtl(), config.stsDuration());
        PhoneService phone = new PhoneService(new SessionResolver(sessions, clock),
                config.alipayAesKey().map(key -> new PhoneNumberVerifier(config.alipayPublicKey(), key)),
                users, clock);
        return new SessionActions(service, phone);
    }

    /** Account deletion over the data tables, the app tables and the bucket; its OSS client is built on the first deletion only. */
    private static AccountDeletionService deletion(SessionConfig config, RoleCredentials credentials,
                                                   InstanceClients clients, SyncClient tablestore,
                                                   TablestoreSessionStore sessions, UserStore users, Clock clock) {
        OssConnections oss = OssConnections.open(config.ossEndpoint(), config.ossPublicEndpoint(),
                config.tablestore().upstreamTimeout(), credentials, clients);
        return AccountDeletionService.create(sessions, users, tablestore, config.dataTables(), config.appTables(),
                oss::calls, config.ossBucket(), clock);
    }
}
