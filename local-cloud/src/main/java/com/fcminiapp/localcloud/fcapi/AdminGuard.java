package com.fcminiapp.localcloud.fcapi;

import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;
import com.sun.net.httpserver.HttpExchange;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;

/**
 * What only this machine may use: the admin origin and the account owner's key answer only requests from a
 * loopback address that name a loopback host (so neither a LAN caller nor a DNS-rebound web page reaches them);
 * every {@code /_admin/*} path also needs the admin token printed in READY, reads included, and a change also needs
 * {@code application/json} (which a cross-origin form or {@code text/plain} POST cannot send).
 */
public final class AdminGuard {

    /** The request header carrying {@link #token()}. */
    public static final String TOKEN_HEADER = "X-Local-Cloud-Token";

    private static final String LOCAL_REQUESTS = "requests from this machine addressed to a loopback host "
            + "(127.0.0.1, localhost or [::1])";

    private final String token;

    public AdminGuard() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** New on every start, held only in memory; READY is the one place it is printed. */
    public String token() {
        return token;
    }

    /** Refuses a request to the admin origin that is not local. */
    public void checkRead(HttpExchange exchange) throws FcError {
        if (!isLocal(exchange)) {
            throw FcError.accessDenied("local-cloud's admin endpoints answer only " + LOCAL_REQUESTS + ".");
        }
    }

    /** Refuses an admin change that is not local, not JSON, or without the admin token. */
    public void checkWrite(HttpExchange exchange) throws FcError {
        checkRead(exchange);
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.trim().toLowerCase(Locale.ROOT).matches("application/json\\s*(;.*)?")) {
            throw new FcError(415, "UnsupportedMediaType", "Send the admin request as Content-Type: application/json.");
        }
        checkToken(exchange);
    }

    /** Refuses an admin request that is not local or without the admin token (every {@code /_admin/*} path). */
    public void checkToken(HttpExchange exchange) throws FcError {
        checkRead(exchange);
        String sent = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
        if (sent == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                sent.trim().getBytes(StandardCharsets.UTF_8))) {
            throw FcError.accessDenied("Send header " + TOKEN_HEADER
                    + " with the adminToken of local-cloud's READY line.");
        }
    }

    /**
     * Refuses the account owner's key (any long-lived key: users only ever get STS keys) on a request that is not
     * local, so a LAN caller of a {@code --host 0.0.0.0} local-cloud needs a login's credentials.
     */
    public static void checkOwnerKey(Credential key, HttpExchange exchange) throws FcError {
        if (!key.isTemporary() && !isLocal(exchange)) {
            throw FcError.accessDenied("The account owner's AccessKey is accepted only on " + LOCAL_REQUESTS
                    + "; elsewhere use the STS credentials a login returns.");
        }
    }

    private static boolean isLocal(HttpExchange exchange) {
        return isLocal(exchange.getRemoteAddress().getAddress(), exchange.getRequestHeaders().getFirst("Host"));
    }

    /** From a loopback address and addressed (Host header, may be null) to a loopback host. */
    static boolean isLocal(InetAddress remote, String hostHeader) {
        return remote.isLoopbackAddress() && HostNames.hostOf(hostHeader).map(HostNames::isLoopback).orElse(false);
    }
}
