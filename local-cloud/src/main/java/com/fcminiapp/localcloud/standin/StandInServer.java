package com.fcminiapp.localcloud.standin;

import com.fcminiapp.localcloud.ram.AccessControl;
import com.sun.net.httpserver.HttpExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Base of every local stand-in for a cloud service: an HTTP server on 127.0.0.1 (by default) that the real SDK
 * talks to, with a {@link FaultSwitch}. Subclasses answer requests in their service's wire format.
 */
public abstract class StandInServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StandInServer.class.getName());

    private final String name;
    private final int requestedPort;
    private final FaultSwitch faults = new FaultSwitch();
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private LoopbackServer server;
    private volatile AccessControl access = AccessControl.SIGNATURE_ONLY;
    private volatile String region = "*";
    private volatile String accountId = "*";

    protected StandInServer(String name, int port) {
        this.name = name;
        this.requestedPort = port;
    }

    /** Binds 127.0.0.1 (or the {@link #bindTo} address) on the port given at construction (0 picks a free one). */
    public synchronized StandInServer start() {
        if (server != null) {
            return this;
        }
        server = LoopbackServer.start(name + "-standin", bindAddress, requestedPort, 128, this::dispatch);
        return this;
    }

    /** Serves on {@code address} instead of 127.0.0.1 (local-cloud's {@code --host}); call before {@link #start}. */
    public synchronized void bindTo(InetAddress address) {
        if (server != null) {
            throw new IllegalStateException(name + " stand-in is already serving");
        }
        bindAddress = address;
    }

    public String name() {
        return name;
    }

    public int port() {
        if (server == null) {
            throw new IllegalStateException(name + " stand-in is not started");
        }
        return server.port();
    }

    /** The base URL the SDK is pointed at, e.g. {@code http://127.0.0.1:40123}. */
    public String endpoint() {
        int port = port();
        return "http://" + server.urlHost() + ":" + port;
    }

    public FaultSwitch faults() {
        return faults;
    }

    /**
     * Makes this stand-in ask {@code access} whether each signed request's key may do what it asks, as the cloud
     * service asks RAM; resources are named in ARNs of {@code region} and {@code accountId}. Until called, any
     * correctly signed request is served.
     */
    public void authorizeWith(AccessControl access, String region, String accountId) {
        this.region = region;
        this.accountId = accountId;
        this.access = access;
    }

    /** Whether RAM lets {@code key} perform {@code action} on {@code resource}. */
    protected boolean allowed(CredentialRegistry.Credential key, String action, String resource) {
        return access.allows(key, action, resource);
    }

    /** As {@link #allowed(CredentialRegistry.Credential, String, String)}, with the request's condition keys. */
    protected boolean allowed(CredentialRegistry.Credential key, String action, String resource,
                              java.util.Map<String, String> context) {
        return access.allows(key, action, resource, context);
    }

    /** The region named in this service's resource ARNs. */
    protected String arnRegion() {
        return region;
    }

    /** The account named in this service's resource ARNs. */
    protected String arnAccount() {
        return accountId;
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try {
            FaultSwitch.Mode mode = faults.next();
            if (mode == FaultSwitch.Mode.STALL) {
                try {
                    // a stall is the fault: the SDK's own timeout is what is under test
                    Thread.sleep(faults.stallDuration().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (mode != FaultSwitch.Mode.NONE) {
                drain(exchange.getRequestBody());
                answerFault(exchange);
                return;
            }
            serve(exchange);
        } catch (IOException | RuntimeException | Error e) {
            // answered in the service's shape: dropping the connection unanswered is what a pooling SDK reports as
            // "Connection closed", with no hint of the cause; a 5xx is one the SDK's retry strategy understands
            LOG.log(Level.WARNING, name + " stand-in failed on " + exchange.getRequestURI().getRawPath(), e);
            try {
                answerFault(exchange);
            } catch (IOException | RuntimeException ignored) {
                // the response may already be under way; the client sees a broken answer, which is fine here
            }
        } finally {
            exchange.close();
        }
    }

    /** Answers one request in the service's wire format. */
    protected abstract void serve(HttpExchange exchange) throws IOException;

    /** Answers with the service's own 5xx shape (used by the fault switch and on a stand-in bug). */
    protected abstract void answerFault(HttpExchange exchange) throws IOException;

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    // ---- helpers for subclasses ----

    /** Reads the whole request body, refusing more than {@code maxBytes}. */
    protected static byte[] readBody(HttpExchange exchange, int maxBytes) throws IOException {
        InputStream in = exchange.getRequestBody();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            out.write(buffer, 0, n);
            if (out.size() > maxBytes) {
                throw new IOException("request body over " + maxBytes + " bytes");
            }
        }
        return out.toByteArray();
    }

    protected static void respond(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        boolean noBody = body == null || "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        while (in.read(buffer) != -1) {
            // discard
        }
    }
}
