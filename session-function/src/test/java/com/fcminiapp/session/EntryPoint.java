package com.fcminiapp.session;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.StreamRequestHandler;
import com.fcminiapp.localcloud.runtime.ServletAdapters;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.servlet.http.HttpServletRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Drives one of the session function's three FC entry points the way the FC runtime does. */
enum EntryPoint {

    /** Direct invocation: the event is the request JSON, the result the answer JSON. */
    INVOKE {
        @Override
        Driver start(Map<String, String> env, Clock clock) {
            return invoking(new SessionInvokeHandler(env, clock));
        }
    },

    /** Direct invocation of the FC 2.0 handler (local-cloud's invoke API reaches it this way). */
    INVOKE_FC2_HANDLER {
        @Override
        Driver start(Map<String, String> env, Clock clock) {
            return invoking(new SessionHttpHandler(env, clock));
        }
    },

    /** Direct invocation of the FC 3.0 handler: an event that is not FC 3.0's HTTP event is the request JSON. */
    INVOKE_FC3_HANDLER {
        @Override
        Driver start(Map<String, String> env, Clock clock) {
            return invoking(new SessionHttpEventHandler(env, clock));
        }
    },

    /** FC 2.0 HTTP trigger: HttpRequestHandler with a servlet request and response. */
    HTTP_FC2 {
        @Override
        Driver start(Map<String, String> env, Clock clock) {
            SessionHttpHandler handler = new SessionHttpHandler(env, clock);
            return (context, method, body) -> {
                // the servlet pair local-cloud hands an FC 2.0 HTTP handler
                ServletAdapters.Recorded response = new ServletAdapters.Recorded();
                HttpServletRequest request = ServletAdapters.request(method, "/2016-08-15/proxy/fc-miniapp/session/",
                        "/", "", Map.of("Content-Type", List.of("application/json")), body, "127.0.0.1");
                try {
                    handler.handleRequest(request, response.response, context);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                response.headers.forEach((name, values) -> headers.put(name, String.join(",", values)));
                return new Reply(response.status, parse(response.body.toByteArray()), headers);
            };
        }
    },

    /** FC 3.0 HTTP trigger: the event handler gets FC 3.0's HTTP event JSON. */
    HTTP_FC3 {
        @Override
        Driver start(Map<String, String> env, Clock clock) {
            SessionHttpEventHandler handler = new SessionHttpEventHandler(env, clock);
            return (context, method, body) -> {
                ObjectNode event = MAPPER.createObjectNode();
                event.put("version", "v1");
                event.put("rawPath", "/");
                event.putObject("headers").put("Content-Type", "application/json");
                event.putObject("queryParameters");
                event.put("body", Base64.getEncoder().encodeToString(body));
                event.put("isBase64Encoded", true);
                ObjectNode requestContext = event.putObject("requestContext");
                requestContext.put("accountId", "1234567890123456");
                requestContext.put("requestId", context.getRequestId());
                requestContext.putObject("http").put("method", method).put("path", "/").put("protocol", "HTTP/1.1");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try {
                    handler.handleRequest(new ByteArrayInputStream(MAPPER.writeValueAsBytes(event)), out, context);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return fc3Reply(parse(out.toByteArray()));
            };
        }
    };

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** A new warm instance of this entry point's handler, as FC keeps one per instance. */
    abstract Driver start(Map<String, String> env, Clock clock);

    /** Calls one handler instance. */
    @FunctionalInterface
    interface Driver {
        Reply call(Context context, String method, byte[] body);

        default Reply post(Context context, String json) {
            return call(context, "POST", json.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** FC 3.0's HTTP answer ({@code statusCode}, {@code headers}, {@code body}) as a reply. */
    static Reply fc3Reply(JsonNode answer) {
        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        answer.get("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        return new Reply(answer.get("statusCode").asInt(),
                parse(answer.get("body").asText().getBytes(StandardCharsets.UTF_8)), headers);
    }

    /**
     * An answer: its HTTP status (for direct invocation, the status the error code stands for), its JSON and its
     * HTTP headers (none for direct invocation).
     */
    static final class Reply {
        final int status;
        final JsonNode json;
        final Map<String, String> headers;

        Reply(int status, JsonNode json, Map<String, String> headers) {
            this.status = status;
            this.json = json;
            this.headers = headers;
        }

        String errorCode() {
            return json.path("error").path("code").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + json;
        }
    }

    /** Direct invocation of a stream handler: the status is the one the answer's error code stands for. */
    /** Direct invocation of a handler the test holds (to call its lifecycle hooks too). */
    static Driver invoking(StreamRequestHandler handler) {
        return (context, method, body) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                handler.handleRequest(new ByteArrayInputStream(body), out, context);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            JsonNode json = parse(out.toByteArray());
            return new Reply(json.has("error") ? statusOf(json) : 200, json, Map.of());
        };
    }

    private static int statusOf(JsonNode json) {
        return com.fcminiapp.common.error.ErrorCode.valueOf(json.path("error").path("code").asText()).httpStatus();
    }

    static JsonNode parse(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError("answer is not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }
}
