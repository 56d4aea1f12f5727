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
}
