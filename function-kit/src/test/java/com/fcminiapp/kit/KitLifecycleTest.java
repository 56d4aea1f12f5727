package com.fcminiapp.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fcminiapp.kit.testing.KitTestCloud;
import com.fcminiapp.localcloud.testing.StartedThreads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An app function's instance life on the kit runtime: built once, the execution key taken from each invocation,
 * PreStop ending every client's threads, and a failed build closing what it had built.
 */
class KitLifecycleTest {

    static final KitTestCloud cloud = KitTestCloud.start("things");

    @AfterAll
    static void stop() {
        cloud.close();
    }

    /** Counts its constructions; input "file" makes an upload form, anything else reads a row. */
    static final class Counted {
        final AtomicInteger built = new AtomicInteger();

        AppFunction create(Kit kit) {
            built.incrementAndGet();
            Table things = kit.table("things");
            return (caller, input) -> input != null && input.asText().equals("file")
                    ? kit.files().of(caller).uploadPolicy("f.txt", null, null)
                    : things.rowsOf(caller).put(JsonNodeFactory.instance.objectNode().put("id", "t"));
        }
    }

    @Test
    void theFunctionIsBuiltOnceByTheInitializerOrElseByTheFirstRequest() {
        Counted withInit = new Counted();
        Counted withoutInit = new Counted();
        TestHandler initialized = TestHandler.of(cloud.env(), cloud.clock(), withInit::create);
        TestHandler lazy = TestHandler.of(cloud.env(), cloud.clock(), withoutInit::create);
        String sid = cloud.login("once");

        cloud.invoke(initialized, cloud.event(sid, null));
        cloud.invoke(initialized, cloud.event(sid, null));
        JsonNode first = cloud.request(lazy, cloud.event(sid, null));
        cloud.request(lazy, cloud.event(sid, null));

        assertThat(withInit.built).hasValue(1);
        assertThat(withoutInit.built).hasValue(1);
        assertThat(first.at("/data/id").asText()).isEqualTo("t");
    }

    @Test
    void aRotatedExecutionKeySignsEveryCallFromTheNextInvocationOn() {
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), new Counted()::create);
        String sid = cloud.login("rot");
        cloud.invoke(handler, cloud.event(sid, null));

        String rotated = cloud.rotateExecutionKey();
        JsonNode row = cloud.invoke(handler, cloud.event(sid, null));
        JsonNode form = cloud.invoke(handler, cloud.event(sid, "\"file\""));

        assertThat(row.at("/data/_version").asLong()).as(row.toString()).isEqualTo(2);
        assertThat(form.at("/data/fields/OSSAccessKeyId").asText()).isEqualTo(rotated);
    }

    @Test
    void preStopEndsEveryThreadTheInstanceStartedAndACallAfterItIsRefusedAsRetryable() throws Exception {
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), new Counted()::create);
        String sid = cloud.login("stop");
        Set<Thread> started = StartedThreads.during(() -> {
            cloud.invoke(handler, cloud.event(sid, null));
            cloud.invoke(handler, cloud.event(sid, "\"file\""));
        });
        assertThat(started).as("the instance's SDK threads").isNotEmpty();

        cloud.preStop(handler);
        cloud.preStop(handler);

        assertThat(StartedThreads.aliveAfter(started, Duration.ofSeconds(10))).isEmpty();
        JsonNode after = cloud.invoke(handler, cloud.event(sid, null));
        assertThat(after.at("/error/code").asText()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(after.at("/error/message").asText())
                .isEqualTo("This function instance is stopping; call again to reach a new instance.");
    }

    @Test
    void aBuildFailingOnTheNetworkShutsDownTheClientsItHadBuilt() throws Exception {
        Map<String, String> env = cloud.env();
        env.put("TABLESTORE_ENDPOINT", "http://127.0.0.1:" + closedPort());
        env.put("UPSTREAM_TIMEOUT_MS", "300");
        TestHandler handler = TestHandler.of(env, cloud.clock(), new Counted()::create);

        Set<Thread> started = StartedThreads.during(() -> assertThatThrownBy(() -> handler.initialize(cloud.context()))
                .as("creating the tables on a closed port").isInstanceOf(RuntimeException.class));

        assertThat(StartedThreads.aliveAfter(started, Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void aConstructorThrowingAfterTheClientsWereBuiltShutsThemDownAndItsFailureIsThrown() throws Exception {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        Set<Thread> runningInConstructor = ConcurrentHashMap.newKeySet();
        TestHandler handler = TestHandler.of(cloud.env(), cloud.clock(), kit -> {
            kit.table("things").rowsOf("2088000000000009").get("warm-up");
            Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && !t.getName().matches(".*-standin-\\d+"))
                    .forEach(runningInConstructor::add);
            throw new IllegalStateException("the team's constructor failed");
        });

        assertThatThrownBy(() -> handler.initialize(cloud.context()))
                .isInstanceOf(IllegalStateException.class).hasMessage("the team's constructor failed");

        assertThat(runningInConstructor).as("the Tablestore client's threads").isNotEmpty();
        assertThat(StartedThreads.aliveAfter(runningInConstructor, Duration.ofSeconds(10))).isEmpty();
    }

    private static int closedPort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
