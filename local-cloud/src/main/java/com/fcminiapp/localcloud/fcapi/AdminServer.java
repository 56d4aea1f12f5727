package com.fcminiapp.localcloud.fcapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.standin.LoopbackServer;
import com.fcminiapp.localcloud.standin.StandInServer;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The console and the admin API on their own loopback port, so their origin is never the FC endpoint's: a page an
 * HTTP-trigger function serves runs on the FC endpoint's origin and cannot read this one's answers. Every request
 * must come from this machine and name a loopback host ({@link AdminGuard}); every {@code /_admin/*} path needs the
 * admin token, reads included; no answer holds the token or the owner's secret. The console's static files need no
 * token (they hold no data, and a browser's navigation cannot send a header).
 */
final class AdminServer implements AutoCloseable {

    /** READY fields {@code GET /_admin/info} leaves out: READY on stdout is the one place they are printed. */
    static final List<String> SECRET_FIELDS = List.of("adminToken", "consoleUrl", "accessKeySecret");
    /** A fault switch request is a line of JSON. */
    private static final int MAX_FAULT_BYTES = 64 * 1024;

    private final AdminGuard guard = new AdminGuard();
    private final ConsolePage consolePage = new ConsolePage();
    private final Supplier<ObjectNode> info;
    private final Supplier<ObjectNode> functions;
    private final InvocationLog invocations;
    private final Map<String, StandInServer> standIns;
    private final PrintStream console;
    private volatile AdminRoutes dataRoutes;
    private LoopbackServer server;

    AdminServer(Supplier<ObjectNode> info, Supplier<ObjectNode> functions, InvocationLog invocations,
                Map<String, StandInServer> standIns, PrintStream console) {
        this.info = info;
        this.functions = functions;
        this.invocations = invocations;
        this.standIns = standIns;
        this.console = console;
    }

    /** Binds {@code address:port} (a loopback address; port 0 picks a free one). */
    synchronized void start(InetAddress address, int port) {
        try {
            server = LoopbackServer.start("local-cloud-admin", address, port, 64, this::dispatch);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException("the console's and admin API's port " + port + " on "
                    + address.getHostAddress() + " is taken (" + e.getCause().getMessage() + "); give another with"
                    + " --admin-port N, or --admin-port 0 for any free one", e);
        }
    }

    String token() {
        return guard.token();
    }

    int port() {
        return server.port();
    }

    /** The admin origin: scheme, host and port, no path. */
    String endpoint() {
        return "http://" + server.urlHost() + ":" + port();
    }

    void routes(AdminRoutes routes) {
        this.dataRoutes = routes;
    }

    private void dispatch(HttpExchange exchange) {
        String requestId = UUID.randomUUID().toString();
        String path = exchange.getRequestURI().getRawPath();
        try {
            guard.checkRead(exchange);
            if (path.equals("/")) {
                requireGet(exchange, "GET /");
                // the origin's root opens the console; the fragment (the token) survives a redirect
                exchange.getResponseHeaders().set("Location", ConsolePage.PREFIX + "/");
                exchange.sendResponseHeaders(302, -1);
            } else if (ConsolePage.serves(path)) {
                requireGet(exchange, "GET " + path);
                consolePage.serve(exchange, path);
            } else if (path.equals("/_admin") || path.startsWith("/_admin/")) {
                admin(exchange, requestId, path);
            } else {
                throw new FcError(404, "PathNotFound", "No such path: " + exchange.getRequestMethod() + " " + path
                        + "; this port serves the console (/_console/) and the admin API (/_admin/...).");
            }
        } catch (FcError e) {
            FcAnswers.error(exchange, requestId, e, false);
        } catch (IOException | RuntimeException e) {
            console.println(requestId + " local-cloud's admin API could not serve " + exchange.getRequestMethod()
                    + " " + path + ": " + e.getClass().getSimpleName());
            FcAnswers.error(exchange, requestId, new FcError(500, "InternalServerError",
                    "local-cloud failed on this request."), false);
        } finally {
            exchange.close();
        }
    }

    private void admin(HttpExchange exchange, String requestId, String path) throws IOException, FcError {
        guard.checkToken(exchange);
        // admin answers show user data and state that changes: never kept by a browser or a proxy
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (path.equals("/_admin/faults")) {
            faults(exchange, requestId);
        } else if (path.equals("/_admin/invocations")) {
            invocationLog(exchange, requestId);
        } else if (path.equals("/_admin/functions")) {
            requireGet(exchange, "GET /_admin/functions");
            FcAnswers.json(exchange, 200, requestId, FcAnswers.JSON.writeValueAsBytes(functions.get()));
        } else if (path.equals("/_admin/info")) {
            requireGet(exchange, "GET /_admin/info");
            ObjectNode shown = info.get().deepCopy();
            shown.remove(SECRET_FIELDS);
            FcAnswers.json(exchange, 200, requestId, FcAnswers.JSON.writeValueAsBytes(shown));
        } else if (dataRoutes != null && dataRoutes.handles(path)) {
            dataRoutes.serve(exchange, requestId, path, guard);
        } else {
            throw new FcError(404, "PathNotFound", "No such API: " + exchange.getRequestMethod() + " " + path);
        }
    }

    /** {@code GET /_admin/invocations?after=SEQ&waitSeconds=W}: the newer ones at once, else a bounded wait. */
    private void invocationLog(HttpExchange exchange, String requestId) throws IOException, FcError {
        requireGet(exchange, "GET /_admin/invocations");
        Map<String, List<String>> query = FcApiServer.parseQuery(exchange.getRequestURI().getRawQuery());
        long after = longParam(query, "after", Long.MAX_VALUE);
        long wait = longParam(query, "waitSeconds", FcApiServer.MAX_WAIT_SECONDS);
        ObjectNode page;
        try {
            page = invocations.afterAsJson(after, Duration.ofSeconds(wait), FcAnswers.JSON);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FcError(503, "ServiceUnavailable", "local-cloud is stopping; ask again once it runs.");
        }
        FcAnswers.json(exchange, 200, requestId, FcAnswers.JSON.writeValueAsBytes(page));
    }

    /** A whole number query parameter from 0 to {@code max}; 0 when absent. */
    private static long longParam(Map<String, List<String>> query, String name, long max) throws FcError {
        List<String> values = query.get(name);
        if (values == null) {
            return 0;
        }
        String value = values.get(0);
        try {
            long parsed = values.size() == 1 && value.matches("\\d{1,19}") ? Long.parseLong(value) : -1;
            if (parsed >= 0 && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException tooLarge) {
            // refused below
        }
        throw FcError.invalidArgument("Send " + name + " once, as a whole number from 0 to " + max + ".");
    }

    private void faults(HttpExchange exchange, String requestId) throws IOException, FcError {
        if ("POST".equals(exchange.getRequestMethod())) {
            guard.checkWrite(exchange);
            JsonNode request = faultRequest(exchange);
            String service = request.path("service").asText("");
            String mode = request.path("mode").asText("");
            Duration stall = !request.has("stallSeconds") ? null
                    : Duration.ofSeconds(request.get("stallSeconds").asLong(60));
            FcApiServer.applyFault(standIns, service, mode, stall);
            console.println("fault switch: " + service + " = " + mode.toLowerCase(Locale.ROOT));
        } else {
            requireGet(exchange, "GET or POST /_admin/faults");
        }
        ObjectNode state = FcAnswers.JSON.createObjectNode();
        standIns.forEach((name, s) -> state.put(name, s.faults().mode().name().toLowerCase(Locale.ROOT)));
        FcAnswers.json(exchange, 200, requestId, FcAnswers.JSON.writeValueAsBytes(state));
    }

    private static JsonNode faultRequest(HttpExchange exchange) throws IOException, FcError {
        String usage = "Send {\"service\": \"tablestore\", \"mode\": \"fail|stall|none\"}.";
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_FAULT_BYTES + 1);
        }
        if (bytes.length > MAX_FAULT_BYTES) {
            throw new FcError(413, "PayloadTooLarge", usage);
        }
        try {
            JsonNode request = FcAnswers.JSON.readTree(bytes);
            if (request != null && request.isObject()) {
                return request;
            }
        } catch (IOException e) {
            // answered below
        }
        throw FcError.invalidArgument(usage);
    }

    private static void requireGet(HttpExchange exchange, String allowed) throws FcError {
        if (!"GET".equals(exchange.getRequestMethod())) {
            throw new FcError(405, "MethodNotAllowed", allowed);
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
