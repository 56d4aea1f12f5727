package com.fcminiapp.kit.internal.oss;

import com.aliyun.oss.OSS;
import com.fcminiapp.common.credentials.RoleCredentials;
import com.fcminiapp.common.fc.InstanceClients;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instance's two OSS clients (calls on OSS_ENDPOINT, URLs signed for OSS_PUBLIC_ENDPOINT; one client when they
 * are the same), registered with the instance's clients so PreStop shuts them down. This is the one place that
 * decides when they are built, for the db function and every app function alike: on the first file operation (most
 * invocations touch no file, and building them is part of a cold start), or at start when
 * {@link #BUILD_AT_START} says so — flip it to measure eager against lazy.
 */
public final class OssConnections {

    /** Build the clients when the instance starts instead of on the first file operation. */
    static final boolean BUILD_AT_START = false;

    /** OSS clients built in this JVM (tests observe when the build happens). */
    private static final AtomicInteger BUILT = new AtomicInteger();

    private final String endpoint;
    private final String publicEndpoint;
    private final Duration timeout;
    private final RoleCredentials credentials;
    private final InstanceClients clients;
    private volatile OSS calls;
    private volatile OSS signing;

    private OssConnections(String endpoint, String publicEndpoint, Duration timeout, RoleCredentials credentials,
                           InstanceClients clients) {
        this.endpoint = endpoint;
        this.publicEndpoint = publicEndpoint;
        this.timeout = timeout;
        this.credentials = credentials;
        this.clients = clients;
    }

    /** The connections of one instance; with {@link #BUILD_AT_START} the clients are built here. */
    public static OssConnections open(String endpoint, String publicEndpoint, Duration timeout,
                                      RoleCredentials credentials, InstanceClients clients) {
        OssConnections connections = new OssConnections(endpoint, publicEndpoint, timeout, credentials, clients);
        if (BUILD_AT_START) {
            connections.build();
        }
        return connections;
    }

    /** How many OSS clients this JVM has built so far. */
    public static int built() {
        return BUILT.get();
    }

    /** The client for calls (list, delete, exists). */
    public OSS calls() {
        if (calls == null) {
            build();
        }
        return calls;
    }

    /** The client URLs and forms handed to mini-programs are signed for. */
    public OSS signing() {
        if (signing == null) {
            build();
        }
        return signing;
    }

    private synchronized void build() {
        if (calls != null) {
            return;
        }
        OSS oss = clients.add(create(endpoint), OSS::shutdown);
        signing = publicEndpoint.equals(endpoint) ? oss : clients.add(create(publicEndpoint), OSS::shutdown);
        calls = oss;
    }

    private OSS create(String on) {
        BUILT.incrementAndGet();
        return OssClients.create(on, timeout, credentials);
    }
}
