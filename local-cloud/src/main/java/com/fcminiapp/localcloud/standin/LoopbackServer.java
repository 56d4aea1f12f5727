package com.fcminiapp.localcloud.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A JDK HTTP server on 127.0.0.1 (or the address given) serving every path with one handler on a pool of daemon
 * threads, as every stand-in and local-cloud's FC API run: requests are served concurrently, and a stalled one holds
 * only its thread. A kept-alive connection is closed by the client, never under it: the server keeps idle
 * connections longer than any SDK's pool does, and a handler that fails before answering gets a 500 with
 * {@code Connection: close}.
 */
public final class LoopbackServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LoopbackServer.class.getName());
    /**
     * Seconds an idle kept-alive connection is kept. The JDK's 30 s is shorter than the OSS SDK's pool (60 s), so
     * the server could close a connection just as the client reuses it ("Connection closed", "NoHttpResponse").
     */
    static final String IDLE_SECONDS = "900";

    static {
        // without it the server's separate header and body writes meet the client's delayed ACK: ~40 ms a call
        setIfAbsent("sun.net.httpserver.nodelay", "true");
        setIfAbsent("sun.net.httpserver.idleInterval", IDLE_SECONDS);
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private LoopbackServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds 127.0.0.1:{@code port} (0 picks a free one) and starts serving; threads are named {@code name-N}. */
    public static LoopbackServer start(String name, int port, int backlog, HttpHandler handler) {
        return start(name, InetAddress.getLoopbackAddress(), port, backlog, handler);
    }

    /** Binds {@code address:port} (0.0.0.0 or :: for every interface) and starts serving. */
    public static LoopbackServer start(String name, InetAddress address, int port, int backlog, HttpHandler handler) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), backlog);
        } catch (IOException e) {
            throw new UncheckedIOException(name + " cannot bind " + urlHost(address) + ":" + port, e);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> serveOrRefuse(name, handler, exchange));
        server.start();
        return new LoopbackServer(server, executor);
    }

    /**
     * Without this, a handler that throws before answering makes the JDK drop the connection with no answer, which
     * a pooling client reports as "Connection closed"; with it the client gets a 500 and does not reuse the
     * connection.
     */
    private static void serveOrRefuse(String name, HttpHandler handler, HttpExchange exchange) throws IOException {
        try {
            handler.handle(exchange);
        } catch (IOException | RuntimeException | Error e) {
            LOG.log(Level.WARNING, name + " failed on " + exchange.getRequestURI().getRawPath(), e);
            if (exchange.getResponseCode() == -1) {
                exchange.getResponseHeaders().set("Connection", "close");
                exchange.sendResponseHeaders(500, -1);
            }
        } finally {
            exchange.close();
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * The host to put in URLs for this server: the bound address ({@code [..]} around IPv6), or 127.0.0.1 when
     * bound to every interface, since a wildcard is no address a client can call.
     */
    public String urlHost() {
        return urlHost(server.getAddress().getAddress());
    }

    static String urlHost(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "127.0.0.1";
        }
        String literal = address.getHostAddress();
        return literal.indexOf(':') >= 0 ? "[" + literal + "]" : literal;
    }

    /** Stops at once; requests still running (a stall) are interrupted. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
