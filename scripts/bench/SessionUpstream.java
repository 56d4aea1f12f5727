import com.alicloud.openservices.tablestore.SyncClient;
import com.aliyun.fc.runtime.Context;
import com.fcminiapp.common.config.SessionConfig;
import com.fcminiapp.common.credentials.RoleCredentials;
import com.fcminiapp.common.session.SessionIds;
import com.fcminiapp.common.session.SessionRecord;
import com.fcminiapp.common.session.TablestoreSessionStore;
import com.fcminiapp.common.tablestore.TablestoreClients;
import com.fcminiapp.session.alipay.AlipayAuthCodeExchanger;
import com.fcminiapp.session.sts.InvokePolicy;
import com.fcminiapp.session.sts.StsCredentialIssuer;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.IntConsumer;

/**
 * A login's upstream round trips alone, for FcRunner's overhead figure: the Alipay token exchange, the STS
 * AssumeRole and the session PutRow, through the session jar's own clients built with the same settings as
 * SessionFunction.create, without the handler, the event parsing, the session service or the answer.
 */
public final class SessionUpstream implements IntConsumer {
    private final AlipayAuthCodeExchanger alipay;
    private final StsCredentialIssuer sts;
    private final TablestoreSessionStore sessions;
    private final Duration stsDuration;
    private final Duration sessionTtl;
    private final String run = Long.toString(System.nanoTime(), 36);

    public SessionUpstream(Object context) {
        SessionConfig config = SessionConfig.from(System.getenv());
        RoleCredentials credentials = new RoleCredentials();
        credentials.refreshFrom((Context) context);
        SyncClient tablestore = TablestoreClients.create(config.tablestore(), credentials);
        String policy = InvokePolicy.forDbFunction(config.region(), config.accountId(),
                config.dbServiceName().orElse(null), config.dbFunctionName());
        alipay = new AlipayAuthCodeExchanger(AlipayAuthCodeExchanger.createClient(config));
        sts = new StsCredentialIssuer(StsCredentialIssuer.createClient(config, credentials), config.stsRoleArn(),
                policy, config.stsEndpoint());
        sessions = new TablestoreSessionStore(tablestore, config.tablestore().sessionTable());
        sessionTtl = config.tablestore().sessionTtl();
        stsDuration = config.stsDuration().compareTo(sessionTtl) <= 0 ? config.stsDuration() : sessionTtl;
    }

    @Override
    public void accept(int n) {
        String uid = alipay.exchange("upstream:" + run + "-" + n);
        sts.issue(uid, stsDuration);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        sessions.create(new SessionRecord(SessionIds.hash("upstream-" + run + "-" + n), uid, now, now.plus(sessionTtl)));
    }
}
