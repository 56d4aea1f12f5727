package com.fcminiapp.common.tablestore;

import com.alicloud.openservices.tablestore.ClientConfiguration;
import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.core.ResourceManager;
import com.alicloud.openservices.tablestore.core.auth.CredentialsProvider;
import com.alicloud.openservices.tablestore.core.auth.DefaultCredentials;
import com.alicloud.openservices.tablestore.core.auth.ServiceCredentials;
import com.alicloud.openservices.tablestore.model.DefaultRetryStrategy;
import com.fcminiapp.common.config.TablestoreSettings;
import com.fcminiapp.common.credentials.RoleCredentials;

import java.util.concurrent.TimeUnit;

/** Builds the instance's one Tablestore client, signing with the function's execution-role credentials. */
public final class TablestoreClients {

    private TablestoreClients() {
    }

    public static SyncClient create(TablestoreSettings settings, RoleCredentials credentials) {
        int timeoutMillis = (int) settings.upstreamTimeout().toMillis();
        ClientConfiguration cc = new ClientConfiguration();
        cc.setConnectionTimeoutInMillisecond(timeoutMillis);
        cc.setSocketTimeoutInMillisecond(timeoutMillis);
        cc.setConnectionRequestTimeoutInMillisecond(timeoutMillis);
        cc.setSyncClientWaitFutureTimeoutInMillis(2L * timeoutMillis);
        // retries (for throttling and 5xx) end within one more timeout, so a call fails well inside FC's limit
        cc.setRetryStrategy(new DefaultRetryStrategy(timeoutMillis, TimeUnit.MILLISECONDS));
        cc.setIoThreadCount(1);
        cc.setMaxConnections(64);
        return new SyncClient(settings.endpoint(), new RoleCredentialsProvider(credentials),
                settings.instance(), cc, new ResourceManager(cc));
    }

    /** Hands the SDK whatever key the holder has at the moment of each request. */
    static final class RoleCredentialsProvider implements CredentialsProvider {
        private final RoleCredentials credentials;

        RoleCredentialsProvider(RoleCredentials credentials) {
            this.credentials = credentials;
        }

        @Override
        public void setCredentials(ServiceCredentials ignored) {
            // the FC context is the only source of keys
        }

        @Override
        public ServiceCredentials getCredentials() {
            RoleCredentials.Key key = credentials.current();
            return new DefaultCredentials(key.accessKeyId(), key.accessKeySecret(), key.securityToken());
        }
    }
}
