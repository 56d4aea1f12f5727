package com.fcminiapp.session.sts;

import com.fcminiapp.common.config.SessionConfig;
import com.fcminiapp.common.credentials.RoleCredentials;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The instance's STS client gives up after UPSTREAM_TIMEOUT_MS and does not retry on its own: a stalled STS costs
 * one timeout, and the login answers UPSTREAM_UNAVAILABLE for the client to retry.
 */
class StsClientTimeoutTest {

    private static final long TIMEOUT_MS = 400;

    @Test
    void aSilentStsFailsOnceAfterTheTimeoutWithoutARetry() throws Exception {
        // a listening socket nobody accepts from: connections queue in the backlog, no answer ever comes
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            StsCredentialIssuer issuer = new StsCredentialIssuer(
                    StsCredentialIssuer.createClient(config(), key()), "acs:ram::1234:role/invoke", "{}",
                    "http://127.0.0.1:" + silent.getLocalPort());

            long start = System.nanoTime();
            CompletableFuture<Void> call = CompletableFuture.runAsync(() -> issuer.issue("u1", Duration.ofSeconds(900)));
            assertThatThrownBy(() -> call.get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e.getCause()).code())
                            .isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertThat(elapsedMs).isGreaterThanOrEqualTo(TIMEOUT_MS).isLessThan(10 * TIMEOUT_MS);
            silent.setSoTimeout(300);
            try (Socket first = silent.accept()) {
                assertThat(first.isConnected()).isTrue();
            }
            // a retry would have queued a second connection before issue() returned
            assertThatThrownBy(silent::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void theClientIsBuiltWithTheConfiguredTimeoutsAndNoRetry() throws Exception {
        com.aliyuncs.DefaultAcsClient client =
                (com.aliyuncs.DefaultAcsClient) StsCredentialIssuer.createClient(config(), key());

        assertThat(client.getProfile().getHttpClientConfig().getConnectionTimeoutMillis()).isEqualTo(TIMEOUT_MS);
        assertThat(client.getProfile().getHttpClientConfig().getReadTimeoutMillis()).isEqualTo(TIMEOUT_MS);
        assertThat(client.isAutoRetry()).isFalse();
        assertThat(client.getProfile().getRegionId()).isEqualTo("cn-hangzhou");
    }

    private static SessionConfig config() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Map<String, String> env = new HashMap<>();
        env.put("ALIPAY_APP_ID", "2021000000000000");
        env.put("ALIPAY_PRIVATE_KEY", Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
        env.put("ALIPAY_PUBLIC_KEY", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
        env.put("STS_ROLE_ARN", "acs:ram::1234:role/invoke");
        env.put("TABLESTORE_ENDPOINT", "http://127.0.0.1:1");
        env.put("TABLESTORE_INSTANCE", "miniapp");
        env.put("DB_FUNCTION_NAME", "db");
        env.put("FC_REGION", "cn-hangzhou");
        env.put("FC_ACCOUNT_ID", "1234");
        env.put("OSS_ENDPOINT", "http://127.0.0.1:2");
        env.put("OSS_BUCKET", "miniapp-files");
        env.put("UPSTREAM_TIMEOUT_MS", Long.toString(TIMEOUT_MS));
        return SessionConfig.from(env);
    }

    private static RoleCredentials key() {
        RoleCredentials credentials = new RoleCredentials();
        credentials.set(new RoleCredentials.Key("STS.exec", "secret", "token"));
        return credentials;
    }
}
