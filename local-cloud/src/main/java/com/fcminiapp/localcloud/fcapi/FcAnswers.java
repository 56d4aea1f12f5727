package com.fcminiapp.localcloud.fcapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;

/** How the FC endpoint and the admin origin answer: JSON with the request id, and FC's error shape. */
final class FcAnswers {

    static final ObjectMapper JSON = new ObjectMapper();

    private FcAnswers() {
    }

    /**
     * An FcError as FC answers it: {@code {"ErrorCode","ErrorMessage"}}, or on the 2023-03-30 API
     * {@code {"Code","Message","RequestId"}}; a client already gone is not an error.
     */
    static void error(HttpExchange exchange, String requestId, FcError e, boolean fc3) {
        ObjectNode body = JSON.createObjectNode();
        if (fc3) {
            body.put("Code", e.code());
            body.put("Message", e.getMessage());
            body.put("RequestId", requestId);
        } else {
            body.put("ErrorCode", e.code());
            body.put("ErrorMessage", e.getMessage());
        }
        if (e.retryAfterSeconds() > 0) {
            exchange.getResponseHeaders().set("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
        try {
            json(exchange, e.status(), requestId, JSON.writeValueAsBytes(body));
        } catch (IOException | RuntimeException ignored) {
            // the client went away; nothing left to tell it
        }
    }

    static void json(HttpExchange exchange, int status, String requestId, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("x-fc-request-id", requestId);
        send(exchange, status, body);
    }

    static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
