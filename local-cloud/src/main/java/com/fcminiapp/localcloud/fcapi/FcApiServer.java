package com.fcminiapp.localcloud.fcapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.runtime.ExecutionRole;
import com.fcminiapp.localcloud.runtime.FunctionHost;
import com.fcminiapp.localcloud.runtime.LocalContext;
import com.fcminiapp.localcloud.runtime.ServletAdapters;
import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;
import com.fcminiapp.localcloud.standin.FaultSwitch;
import com.fcminiapp.localcloud.standin.StandInServer;
import com.sun.net.httpserver.HttpExchange;
import com.fcminiapp.localcloud.standin.LoopbackServer;

import javax.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * local-cloud's FC endpoint: the Function Compute API as {@code @alicloud/fc2} speaks it (2016-08-15 invocations),
 * FC 3.0's 2023-03-30 InvokeFunction and the anonymous HTTP trigger path of HTTP functions — nothing else: any other
 * path is FC's 404 {@code PathNotFound}. The console and the admin API ({@code /_console/}, {@code /_admin/*}) are
 * served on a port of their own ({@link AdminServer}), another origin than the pages HTTP triggers serve here.
 * Requests are served concurrently on each function's one warm instance; a request is checked as far as its
 * headers allow before its body is read, and bodies in memory are bounded across requests ({@link BodyBudget});
 * URLs on the OSS stand-in in answers name the host the client called ({@link PublicUrls}); every invocation is
 * kept in the {@link InvocationLog}.
 */
public final class FcApiServer implements AutoCloseable {

    /** Largest event accepted for a synchronous invocation, FC's limit. */
    public static final int MAX_EVENT_BYTES = 32 * 1024 * 1024;
    /** Longest wait a reader of {@code /_admin/invocations} may ask for, under common proxies' idle limits. */
    public static final int MAX_WAIT_SECONDS = 25;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FC2_INVOKE = Pattern.compile(
            "/2016-08-15/services/([^/.]+)(?:\\.([^/]+))?/functions/([^/]+)/invocations/?");
    private static final Pattern FC2_PROXY = Pattern.compile("/2016-08-15/proxy/([^/.]+)(?:\\.([^/]+))?/([^/]+)(/.*)?");
    private static final Pattern FC3_INVOKE = Pattern.compile("/2023-03-30/functions/([^/]+)/invocations/?");

    private final InvokeAuthorizer authorizer;
    /** Service → its functions; each service runs its functions with its own execution role. */
    private final Map<String, Map<String, FunctionHost>> services;
    private final Map<String, ExecutionRole> executionRoles;
    private final Map<String, StandInServer> standIns;
    private final PrintStream console;
    private final InvocationLog invocations = new InvocationLog();
    private final InstanceCounter instances = new InstanceCounter();
    private final AdminServer admin;
    private final PublicUrls publicUrls;
    private BodyBudget bodies = new BodyBudget(BodyBudget.DEFAULT_BYTES);
    /** Whether a login's key may invoke a function (service, function), for {@code /_admin/functions}; null: unknown. */
    private volatile java.util.function.BiPredicate<String, String> callableByUsers;
    private LoopbackServer server;

    /** One service whose functions all run with {@code executionRole}. */
    public FcApiServer(InvokeAuthorizer authorizer, String serviceName, Map<String, FunctionHost> functions,
                       ExecutionRole executionRole, Map<String, StandInServer> standIns, PrintStream console,
                       Supplier<ObjectNode> info) {
        this(authorizer, Map.of(serviceName, functions), Map.of(serviceName, executionRole), standIns, console, info);
    }

    /**
     * Several services (FC 2.0: a role per service), {@code services} mapping each to its functions and
     * {@code executionRoles} each to the role its functions run with.
     */
    public FcApiServer(InvokeAuthorizer authorizer, Map<String, Map<String, FunctionHost>> services,
                       Map<String, ExecutionRole> executionRoles, Map<String, StandInServer> standIns,
                       PrintStream console, Supplier<ObjectNode> info) {
        this.authorizer = authorizer;
        Map<String, Map<String, FunctionHost>> copy = new java.util.LinkedHashMap<>();
        services.forEach((name, functions) -> copy.put(name, Map.copyOf(functions)));
        this.services = java.util.Collections.unmodifiableMap(copy);
        this.executionRoles = Map.copyOf(executionRoles);
        this.standIns = Map.copyOf(standIns);
        this.console = console;
        this.admin = new AdminServer(info, this::functions, invocations, this.standIns, console);
        StandInServer oss = standIns.get("oss");
        this.publicUrls = oss == null ? null : new PublicUrls(oss.endpoint());
    }

    /** Binds 127.0.0.1:{@code port} (0 picks a free port), the console and admin API on a free port. */
    public FcApiServer start(int port) {
        return start(InetAddress.getLoopbackAddress(), port, 0);
    }

    /** Binds {@code address:port} (0.0.0.0 or :: for every interface), the console and admin API on a free port. */
    public FcApiServer start(InetAddress address, int port) {
        return start(address, port, 0);
    }

    /**
     * Binds the FC endpoint on {@code address:port} (0.0.0.0 or :: for every interface; port 0 picks a free one)
     * and the console and admin API on {@code adminPort} of a loopback address: {@code address} when it is one,
     * else 127.0.0.1, since they answer only this machine whatever the FC endpoint is bound to.
     */
    public synchronized FcApiServer start(InetAddress address, int port, int adminPort) {
        server = LoopbackServer.start("fc-api", address, port, 256, this::dispatch);
        try {
            admin.start(address.isLoopbackAddress() ? address : InetAddress.getLoopbackAddress(), adminPort);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    public int port() {
        return server.port();
    }

    /** The base URL, on the bound address (127.0.0.1 when bound to every interface). */
    public String endpoint() {
        return "http://" + server.urlHost() + ":" + port();
    }

    /** The console's and admin API's port. */
    public int adminPort() {
        return admin.port();
    }

    /** The console's and admin API's origin ({@code http://127.0.0.1:9001}, no path). */
    public String adminEndpoint() {
        return admin.endpoint();
    }

    /** What every {@code /_admin/*} request needs in header {@value AdminGuard#TOKEN_HEADER}; new on every start. */
    public String adminToken() {
        return admin.token();
    }

    /** The invocations served lately (kept in memory), as {@code GET /_admin/invocations} reads them. */
    public InvocationLog invocations() {
        return invocations;
    }

    /**
     * Per function: the calls served, the most at once and the instances FC would have started for them
     * ({@code GET /_admin/instances}); event invocations and HTTP-trigger requests, not local-cloud's own calls.
     */
    public ObjectNode instances() {
        return instances.toJson(services, host -> host.spec().instanceConcurrency());
    }

    /** Serves {@code routes}' paths under {@code /_admin/} on the admin port, after its checks and the token. */
    public FcApiServer adminRoutes(AdminRoutes routes) {
        admin.routes(routes);
        return this;
    }

    /**
     * How {@code GET /_admin/functions} tells whether a login's STS key may invoke a function under its service
     * ({@code callable}); without it the answer leaves {@code callable} out.
     */
    public FcApiServer callableByUsers(java.util.function.BiPredicate<String, String> check) {
        this.callableByUsers = check;
        return this;
    }

    /** For tests: bounds the request bodies held at once to {@code bytes} (before {@link #start}). */
    FcApiServer bodyBudget(long bytes) {
        this.bodies = new BodyBudget(bytes);
        return this;
    }

    /** For tests: the bodies held and the most held at once. */
    BodyBudget bodies() {
        return bodies;
    }

    /**
     * Invokes an event function in-process as an invocation would, logged like one; local-cloud's own tools call the
     * functions this way so every rule of the function applies to them too.
     */
    public byte[] invokeDirect(String service, String function, byte[] event) throws FcError {
        FunctionHost host = function(service, function);
        Invocation call = new Invocation(UUID.randomUUID().toString()).target(service, function).known().event(event);
        FunctionHost.Outcome outcome = run(call, service, host, null, event);
        if (outcome.errorType != null) {
            keep(call, 200);
            throw new FcError(502, outcome.errorType, "The function " + function + " failed: " + outcome.errorClass);
        }
        keep(call.answer(parseJson(outcome.output)), 200);
        return outcome.output;
    }

    private void dispatch(HttpExchange exchange) {
        Invocation call = new Invocation(UUID.randomUUID().toString());
        BodyBudget.Body body = bodies.new Body();
        String path = exchange.getRequestURI().getRawPath();
        try {
            route(exchange, call, body, path);
        } catch (FcError e) {
            call.failed(e.code());
            keep(call, e.status());
            FcAnswers.error(exchange, call.requestId, e, path.startsWith("/2023-03-30/"));
        } catch (IOException | RuntimeException e) {
            call.failed("InternalServerError");
            keep(call, 500);
            console.println(call.requestId + " local-cloud could not serve " + exchange.getRequestMethod() + " "
                    + InvocationLog.cut(path) + ": " + e.getClass().getSimpleName());
            FcAnswers.error(exchange, call.requestId, new FcError(500, "InternalServerError",
                    "local-cloud failed on this request."), false);
        } finally {
            body.close();
            keep(call, exchange.getResponseCode());
            exchange.close();
        }
    }

    private void route(HttpExchange exchange, Invocation call, BodyBudget.Body body, String path)
            throws IOException, FcError {
        Matcher m;
        if ((m = FC2_INVOKE.matcher(path)).matches()) {
            call.target(decode(m.group(1)), decode(m.group(3)));
            requirePost(exchange);
            invokeFc2(exchange, call, body, decode(m.group(1)), decodeOrNull(m.group(2)), decode(m.group(3)));
        } else if ((m = FC2_PROXY.matcher(path)).matches()) {
            call.target(decode(m.group(1)), decode(m.group(3)));
            proxy(exchange, call, body, decode(m.group(1)), decodeOrNull(m.group(2)), decode(m.group(3)),
                    m.group(4) == null ? "/" : m.group(4));
        } else if ((m = FC3_INVOKE.matcher(path)).matches()) {
            call.target(null, decode(m.group(1)));
            requirePost(exchange);
            invokeFc3(exchange, call, body, decode(m.group(1)));
        } else {
            // the console and /_admin/* live on their own origin (READY's adminUrl), never here
            boolean admin = path.startsWith("/_admin") || path.startsWith("/_console");
            throw new FcError(404, "PathNotFound", "No such API: " + exchange.getRequestMethod() + " "
                    + InvocationLog.cut(path) + (admin ? "; the console and the admin API are on their own port:"
                    + " READY's adminUrl" : ""));
        }
    }

    /** Puts an invocation in the log (once) before its answer leaves, so a caller that has it finds it there. */
    private void keep(Invocation call, int status) {
        if (call.isInvocation()) {
            call.recordIn(invocations, status);
        }
    }

    private static void requirePost(HttpExchange exchange) throws FcError {
        if (!"POST".equals(exchange.getRequestMethod())) {
            throw new FcError(405, "MethodNotAllowed", "Invocations are POST requests.");
        }
    }

    /**
     * Every check the headers decide comes first (signature, token, owner key, RAM, the function), so a request
     * that cannot pass is refused with its body unread; then the body, checked against the signed content-md5.
     */
    private void invokeFc2(HttpExchange exchange, Invocation call, BodyBudget.Body body, String service,
                           String qualifier, String function) throws IOException, FcError {
        Map<String, String> headers = InvokeAuthorizer.lowercase(exchange.getRequestHeaders());
        Credential key = authorizer.authorizeFc2Headers("POST", exchange.getRequestURI().getRawPath(), headers, null);
        call.known();
        AdminGuard.checkOwnerKey(key, exchange);
        authorizer.checkPolicy(key, authorizer.fc2Arn(service, qualifier, function));
        FunctionHost host = function(service, function);
        bodies.read(exchange, body);
        authorizer.checkContentMd5(headers, body.bytes());
        call.event(body.bytes());
        runEvent(exchange, call, service, host, qualifier, body.bytes());
    }

    /** As {@link #invokeFc2}: the headers (the signature covers the body's stated SHA-256) before the body. */
    private void invokeFc3(HttpExchange exchange, Invocation call, BodyBudget.Body body, String function)
            throws IOException, FcError {
        Map<String, String> headers = InvokeAuthorizer.lowercase(exchange.getRequestHeaders());
        Map<String, List<String>> query = parseQuery(exchange.getRequestURI().getRawQuery());
        Credential key = authorizer.authorizeAcs3Headers("POST", exchange.getRequestURI().getRawPath(), query, headers);
        call.known();
        AdminGuard.checkOwnerKey(key, exchange);
        String qualifier = query.containsKey("qualifier") ? query.get("qualifier").get(0) : null;
        authorizer.checkPolicy(key, authorizer.fc3Arn(function, qualifier));
        // FC 3.0 has no services: function names are unique in the account
        String service = services.entrySet().stream().filter(e -> e.getValue().containsKey(function))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new FcError(404, "FunctionNotFound", "function '" + InvocationLog.cut(function)
                        + "' does not exist"));
        call.service(service);
        FunctionHost host = function(service, function);
        bodies.read(exchange, body);
        authorizer.checkContentSha256(headers, body.bytes());
        call.event(body.bytes());
        runEvent(exchange, call, service, host, qualifier, body.bytes());
    }

    private FunctionHost function(String service, String name) throws FcError {
        Map<String, FunctionHost> functions = services.get(service);
        if (functions == null) {
            throw new FcError(404, "ServiceNotFound", "service '" + InvocationLog.cut(service) + "' does not exist");
        }
        FunctionHost host = functions.get(name);
        if (host == null) {
            throw new FcError(404, "FunctionNotFound", "function '" + InvocationLog.cut(name)
                    + "' does not exist in service '" + InvocationLog.cut(service) + "'");
        }
        if (!host.codeAvailable()) {
            throw new FcError(404, "FunctionNotFound", "function '" + name + "' has no code: " + host.spec().codeUri()
                    + " is missing (build it with ./mvnw package)");
        }
        return host;
    }

    private void runEvent(HttpExchange exchange, Invocation call, String service, FunctionHost host, String qualifier,
                          byte[] event) throws IOException {
        String requestId = call.requestId;
        FunctionHost.Outcome outcome;
        try (InstanceCounter.Running running = instances.start(service, host.spec().name())) {
            outcome = run(call, service, host, qualifier, event);
        }
        exchange.getResponseHeaders().set("x-fc-request-id", requestId);
        if (outcome.errorType != null) {
            ObjectNode error = JSON.createObjectNode();
            error.put("errorMessage", outcome.errorMessage);
            error.put("errorType", outcome.errorClass);
            exchange.getResponseHeaders().set("x-fc-error-type", outcome.errorType);
            keep(call, 200);
            FcAnswers.json(exchange, 200, requestId, JSON.writeValueAsBytes(error));
            return;
        }
        JsonNode answer = parseJson(outcome.output);
        call.answer(answer);
        exchange.getResponseHeaders().set("Content-Type",
                answer != null ? "application/json; charset=utf-8" : "application/octet-stream");
        keep(call, 200);
        FcAnswers.send(exchange, 200, publicUrls(exchange, outcome.output));
    }

    /** Runs an event on the function instance with a fresh context; the console line and the call note its outcome. */
    private FunctionHost.Outcome run(Invocation call, String service, FunctionHost host, String qualifier,
                                     byte[] event) {
        LocalContext context = context(call.requestId, service, host, qualifier);
        call.context(context);
        long started = System.nanoTime();
        FunctionHost.Outcome outcome = host.invoke(event, context);
        logInvocation(call.requestId, service, host, started, outcome.errorType);
        call.failed(outcome.errorType);
        return outcome;
    }

    /** The anonymous HTTP trigger: the function and its trigger are checked before the body is read. */
    private void proxy(HttpExchange exchange, Invocation call, BodyBudget.Body read, String service, String qualifier,
                       String function, String subPath) throws IOException, FcError {
        String requestId = call.requestId;
        FunctionHost host = function(service, function);
        if (!host.spec().hasHttpTrigger()) {
            throw new FcError(404, "TriggerNotFound", "function '" + function + "' has no HTTP trigger");
        }
        call.known();
        bodies.read(exchange, read);
        byte[] body = read.bytes();
        call.event(body).opIfNone(exchange.getRequestMethod());
        HttpServletRequest request = ServletAdapters.request(exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(), subPath, exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders(), body, exchange.getRemoteAddress().getAddress().getHostAddress());
        ServletAdapters.Recorded recorded = new ServletAdapters.Recorded();
        LocalContext context = context(requestId, service, host, qualifier);
        call.context(context);
        long started = System.nanoTime();
        try (InstanceCounter.Running running = instances.start(service, host.spec().name())) {
            host.serveHttp(request, recorded.response, context);
        } catch (Exception e) {
            logInvocation(requestId, service, host, started, "UnhandledInvocationError");
            throw new FcError(502, "UnhandledInvocationError", "The function failed: " + e.getClass().getSimpleName());
        }
        logInvocation(requestId, service, host, started, null);
        call.answer(parseJson(recorded.bytes()));
        recorded.headers.forEach((k, v) -> exchange.getResponseHeaders().put(k, new ArrayList<>(v)));
        exchange.getResponseHeaders().set("x-fc-request-id", requestId);
        keep(call, recorded.status);
        FcAnswers.send(exchange, recorded.status, publicUrls(exchange, recorded.bytes()));
    }

    /** An answer's OSS URLs on the host the client called (from its Host header; unchanged without one). */
    private byte[] publicUrls(HttpExchange exchange, byte[] output) {
        if (publicUrls == null) {
            return output;
        }
        return HostNames.hostOf(exchange.getRequestHeaders().getFirst("Host"))
                .map(host -> publicUrls.rewrite(output, host)).orElse(output);
    }

    private LocalContext context(String requestId, String service, FunctionHost host, String qualifier) {
        return new LocalContext(requestId, executionRoles.get(service).current(), host.spec(), service,
                qualifier == null ? "LATEST" : qualifier, console);
    }

    private void logInvocation(String requestId, String service, FunctionHost host, long startedNanos,
                               String errorType) {
        long millis = Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
        console.println(requestId + " " + service + "/" + host.spec().name() + " " + millis + " ms"
                + (errorType == null ? "" : " " + errorType));
    }

    /**
     * Each function's jar and the build its instance runs, and whether users' keys may invoke it
     * ({@code GET /_admin/functions}).
     */
    private ObjectNode functions() {
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode list = answer.putArray("functions");
        services.forEach((service, functions) -> functions.forEach((name, host) -> {
            FunctionHost.Status status = host.status();
            ObjectNode f = list.addObject().put("service", service).put("function", name)
                    .put("jar", status.jar.toAbsolutePath().toString());
            if (status.build == null) {
                f.putNull("build");
                f.putNull("loadedAt");
            } else {
                f.putObject("build").put("sha256", status.build.sha256).put("size", status.build.size)
                        .put("modified", status.build.modified.toString());
                f.put("loadedAt", status.loadedAt.toString());
            }
            f.put("initialized", status.initialized);
            java.util.function.BiPredicate<String, String> callable = callableByUsers;
            if (callable != null) {
                f.put("callable", callable.test(service, name));
            }
        }));
        return answer;
    }

    /** Sets one stand-in's fault mode; {@code stall} may be null for the default stall. */
    public static void applyFault(Map<String, StandInServer> standIns, String service, String mode, Duration stall)
            throws FcError {
        StandInServer target = standIns.get(service.toLowerCase(Locale.ROOT));
        if (target == null) {
            throw FcError.invalidArgument("Unknown service '" + service + "'; one of " + standIns.keySet() + ".");
        }
        FaultSwitch.Mode parsed;
        try {
            parsed = FaultSwitch.Mode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw FcError.invalidArgument("Unknown mode '" + mode + "'; one of fail, stall, none.");
        }
        if (parsed == FaultSwitch.Mode.STALL) {
            target.faults().stall(stall == null ? target.faults().stallDuration() : stall);
        } else {
            target.faults().set(parsed);
        }
    }

    /** The output as JSON, or null when it is empty or not JSON. */
    private static JsonNode parseJson(byte[] output) {
        if (output.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(output);
        } catch (IOException e) {
            return null;
        }
    }

    /** The query's parameters, decoded, in order. */
    public static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    /** Percent-decodes a URL part, keeping a literal {@code +}. */
    public static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String decodeOrNull(String s) {
        return s == null ? null : decode(s);
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        admin.close();
    }
}
