package com.fcminiapp.localcloud.fcapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.localcloud.runtime.LocalContext;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One invocation while it is served: what {@link InvocationLog} keeps of it once it is answered. Only names are
 * taken from the event and the answer (the op or action, an error code), never a value, so no session id or item
 * reaches the log.
 */
final class Invocation {

    private static final JsonFactory JSON = new JsonFactory();
    /** What an op, an action or an error code looks like; anything else is not shown. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,39}");

    final String requestId;
    private final Instant time = Instant.now();
    private final long started = System.nanoTime();
    private String service;
    private String function;
    private String op;
    private String error;
    private LocalContext context;
    private boolean known;
    private boolean recorded;

    Invocation(String requestId) {
        this.requestId = requestId;
    }

    /** The function called, as the request named it (before it is known to exist), cut to a name's length. */
    Invocation target(String service, String function) {
        this.service = InvocationLog.cut(service);
        this.function = InvocationLog.cut(function);
        return this;
    }

    Invocation service(String service) {
        this.service = InvocationLog.cut(service);
        return this;
    }

    /**
     * The request passed what its headers can show — a verified key, or an HTTP trigger of a real function — so it
     * is logged in full; until then a refusal is kept short and apart, since anyone can send it.
     */
    Invocation known() {
        this.known = true;
        return this;
    }

    /** The op of a db event, else the action of a session event ({@code login} for a bare authCode, {@code call} for an app function's event). */
    Invocation event(byte[] event) {
        op = opOf(event);
        return this;
    }

    /** An op for a request without one in its body (an HTTP trigger GET). */
    Invocation opIfNone(String fallback) {
        if (op == null) {
            op = name(fallback);
        }
        return this;
    }

    Invocation context(LocalContext context) {
        this.context = context;
        return this;
    }

    /** The contract error code a function's JSON answer carries ({@code {"error":{"code":…}}}), if any. */
    Invocation answer(JsonNode answer) {
        if (answer != null) {
            failed(answer.path("error").path("code").asText(null));
        }
        return this;
    }

    /** The FC error code (or the function's error type) the answer carries. */
    Invocation failed(String code) {
        if (code != null && error == null) {
            error = name(code);
        }
        return this;
    }

    boolean isInvocation() {
        return function != null;
    }

    /** Keeps this invocation in {@code log} (the first time only), with the HTTP status of its answer. */
    void recordIn(InvocationLog log, int status) {
        if (recorded) {
            return;
        }
        recorded = true;
        log.record(time, requestId, service, function, op, status, error,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                context == null ? List.of() : context.logLines(), !known);
    }

    /**
     * The first top-level {@code op}, else {@code action}, of a JSON object event; {@code login} for an authCode,
     * {@code call} for an app function's {@code input}.
     */
    static String opOf(byte[] event) {
        String op = null;
        String action = null;
        boolean authCode = false;
        boolean input = false;
        try (JsonParser p = JSON.createParser(event)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.getCurrentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.VALUE_STRING && "op".equals(field) && op == null) {
                    op = p.getText();
                } else if (value == JsonToken.VALUE_STRING && "action".equals(field) && action == null) {
                    action = p.getText();
                } else if ("authCode".equals(field)) {
                    authCode = true;
                } else if ("input".equals(field)) {
                    input = true;
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            // not JSON: the function answers that itself; the log shows no op
        }
        String named = op != null ? op : action != null ? action : authCode ? "login" : input ? "call" : null;
        return name(named);
    }

    private static String name(String value) {
        return value != null && NAME.matcher(value).matches() ? value : null;
    }
}
