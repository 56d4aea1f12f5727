package com.fcminiapp.db;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.config.ConfigException;
import com.fcminiapp.localcloud.runtime.LocalContext;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.testing.StartedThreads;
import com.fcminiapp.localcloud.testing.TestContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The db function's instance life: the execution key FC rotates, an environment it cannot run with, and FC's PreStop
 * (every thread the instance's clients started ends; a call after it is refused; a failed build leaves no thread).
 */
class DbLifecycleTest {

    @RegisterExtension
    static final DbFixture fx = new DbFixture();

    @Test
    void aRotatedExecutionKeySignsEveryCallFromTheNextInvocationOn() {
        DbFixture.User u = fx.newUser("rot");
        fx.invoke(u.event("put", "{\"obj\":{\"id\":\"a\"}}"));
        CredentialRegistry.Credential rotated = fx.registry.issueTemporary("acs:ram::1:role/fc-db", "fc-db", null,
                Duration.ofHours(6));
        CredentialRegistry.Credential old = fx.registry.find(fx.executionKey.accessKeyId).orElseThrow();
        fx.registry.remove(old.accessKeyId);
        LocalContext rotatedContext = TestContexts.create(rotated);
        try {
            ObjectNode read = fx.invoke(bytes(u.event("get", "{\"id\":\"a\"}")), rotatedContext);
            ObjectNode form = fx.invoke(bytes(u.event("uploadPolicy", "{\"path\":\"r.txt\"}")), rotatedContext);
            ObjectNode listing = fx.invoke(bytes(u.event("listFiles", "{}")), rotatedContext);

            assertThat(read.at("/data/id").asText()).isEqualTo("a");
            assertThat(form.at("/data/fields/OSSAccessKeyId").asText()).isEqualTo(rotated.accessKeyId);
            assertThat(form.at("/data/fields/x-oss-security-token").asText()).isEqualTo(rotated.securityToken);
            assertThat(listing.get("data")).isEmpty();
        } finally {
            fx.registry.register(old);
        }
    }

    @Test
    void initializeRefusesABadEnvironmentNamingEachVariableButNoValue() {
        Map<String, String> env = new HashMap<>(fx.env);
        env.remove("OSS_BUCKET");
        env.put("URL_EXPIRY_SECONDS", "59");
        env.put("UPLOAD_MAX_BYTES", "lots-secret");
        DbHandler handler = new DbHandler(env, fx.clock);

        assertThatThrownBy(() -> handler.initialize(fx.context()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(3))
                .hasMessageContainingAll("OSS_BUCKET", "URL_EXPIRY_SECONDS", "UPLOAD_MAX_BYTES")
                .hasMessageNotContaining("lots-secret");
    }

    @Test
    void aRequestToAMisconfiguredFunctionIsInternalWithoutDetail() {
        Map<String, String> env = new HashMap<>(fx.env);
        env.put("OSS_BUCKET", "");
        env.put("TABLESTORE_INSTANCE", "hunter2!");
        DbHandler handler = new DbHandler(env, fx.clock);
        DbFixture.User u = fx.newUser("cfg");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            handler.handleRequest(new java.io.ByteArrayInputStream(bytes(u.event("get", "{\"id\":\"a\"}"))), out,
                    fx.context());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }

        ObjectNode answer = DbFixture.json(out.toString(StandardCharsets.UTF_8));
        assertThat(answer.at("/error/code").asText()).isEqualTo("INTERNAL");
        assertThat(answer.toString()).doesNotContain("hunter2", "OSS_BUCKET", "TABLESTORE", u.sid);
    }

    @Test
    void preStopEndsEveryThreadTheInstanceStartedAndACallAfterItIsRefusedAsRetryable() throws Exception {
        DbFixture.User u = fx.newUser("stop");
        DbHandler handler = new DbHandler(fx.env, fx.clock);
        Set<Thread> started = StartedThreads.during(() -> {
            handler.initialize(fx.context());
            DbFixture.invoke(handler, bytes(u.event("put", "{\"obj\":{\"id\":\"a\"}}")), fx.context());
            DbFixture.invoke(handler, bytes(u.event("listFiles", "{}")), fx.context());
        });
        assertThat(started).as("the instance's SDK threads").isNotEmpty();

        handler.preStop(fx.context());
        handler.preStop(fx.context());

        assertThat(StartedThreads.aliveAfter(started, Duration.ofSeconds(10))).isEmpty();
        ObjectNode after = DbFixture.invoke(handler, bytes(u.event("get", "{\"id\":\"a\"}")), fx.context());
        assertThat(after.at("/error/code").asText()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(after.at("/error/message").asText())
                .isEqualTo("This function instance is stopping; call again to reach a new instance.");
    }

    @Test
    void preStopOnAnInstanceNeverBuiltClosesNothingAndRefusesLaterCalls() throws Exception {
        DbFixture.User u = fx.newUser("never");
        DbHandler handler = new DbHandler(fx.env, fx.clock);

        Set<Thread> started = StartedThreads.during(() -> handler.preStop(fx.context()));
        ObjectNode after = DbFixture.invoke(handler, bytes(u.event("get", "{\"id\":\"a\"}")), fx.context());

        assertThat(started).isEmpty();
        assertThat(after.at("/error/code").asText()).isEqualTo("UPSTREAM_UNAVAILABLE");
    }

    @Test
    void aBuildFailingHalfWayShutsDownTheClientsItHadBuilt() throws Exception {
        Map<String, String> env = new HashMap<>(fx.env);
        env.put("TABLESTORE_ENDPOINT", "http://127.0.0.1:" + closedPort());
        env.put("UPSTREAM_TIMEOUT_MS", "300");
        DbHandler handler = new DbHandler(env, fx.clock);

        Set<Thread> started = StartedThreads.during(() -> assertThatThrownBy(() -> handler.initialize(fx.context()))
                .as("creating the tables on a closed port").isInstanceOf(RuntimeException.class));

        assertThat(StartedThreads.aliveAfter(started, Duration.ofSeconds(10))).isEmpty();
    }

    private static int closedPort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static byte[] bytes(ObjectNode event) {
        return com.fcminiapp.common.json.Json.write(event);
    }
}
