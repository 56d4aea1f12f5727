package com.fcminiapp.localcloud.fcapi;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;

/**
 * More {@code /_admin/} endpoints, served on the admin origin ({@link FcApiServer#adminEndpoint}) after its loopback
 * checks and the admin token.
 */
public interface AdminRoutes {

    /** Whether {@code path} (raw, under {@code /_admin/}) is one of these endpoints. */
    boolean handles(String path);

    /** Answers the request; {@code guard} checks what a change needs besides the token. */
    void serve(HttpExchange exchange, String requestId, String path, AdminGuard guard) throws IOException, FcError;

    /** {@code first}'s endpoints, then {@code second}'s for the paths {@code first} does not handle. */
    static AdminRoutes both(AdminRoutes first, AdminRoutes second) {
        return new AdminRoutes() {
            @Override
            public boolean handles(String path) {
                return first.handles(path) || second.handles(path);
            }

            @Override
            public void serve(HttpExchange exchange, String requestId, String path, AdminGuard guard)
                    throws IOException, FcError {
                (first.handles(path) ? first : second).serve(exchange, requestId, path, guard);
            }
        };
    }
}
