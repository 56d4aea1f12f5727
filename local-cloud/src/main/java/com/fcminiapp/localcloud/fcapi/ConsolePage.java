package com.fcminiapp.localcloud.fcapi;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The console's static files ({@code /_console/}, {@code app.js}, {@code app.css}): they hold no data (the page
 * reads everything from {@code /_admin/*} with the token from its address's fragment), so they need no token, but
 * they are served only on the admin origin ({@link AdminServer}) and only to local requests, with a policy that
 * runs no script but {@code app.js}, connects only to its own origin and lets no other site frame the page.
 */
final class ConsolePage {

    static final String PREFIX = "/_console";
    static final String SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/app.js", "app.js",
            "/app.css", "app.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    private final Map<String, byte[]> contents;

    ConsolePage() {
        contents = Map.of("index.html", read("index.html"), "app.js", read("app.js"), "app.css", read("app.css"));
    }

    /** Whether {@code path} is the console's. */
    static boolean serves(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    /** Answers a GET under {@link #PREFIX}: a file, a redirect from {@code /_console} to {@code /_console/}, or 404. */
    void serve(HttpExchange exchange, String path) throws IOException, FcError {
        if (path.equals(PREFIX)) {
            // relative URLs in the page need the trailing slash; the fragment (the token) survives a redirect
            exchange.getResponseHeaders().set("Location", PREFIX + "/");
            exchange.sendResponseHeaders(302, -1);
            return;
        }
        String file = FILES.get(path.substring(PREFIX.length()));
        if (file == null) {
            throw new FcError(404, "PathNotFound", "The console has no " + path + "; open " + PREFIX + "/.");
        }
        byte[] body = contents.get(file);
        exchange.getResponseHeaders().set("Content-Type", TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("Content-Security-Policy", SECURITY_POLICY);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
        exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsolePage.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException("console/" + name + " is missing from local-cloud's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
