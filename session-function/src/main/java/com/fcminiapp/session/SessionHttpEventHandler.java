package com.fcminiapp.session;

import com.fcminiapp.common.fc.BoundedBody;
import com.aliyun.fc.runtime.Context;
import com.fcminiapp.kit.runtime.Answer;
import com.aliyun.fc.runtime.StreamRequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

/**
 * FC 3.0 entry point (s.yaml). An HTTP trigger hands it FC 3.0's HTTP event ({@code rawPath}, {@code headers},
 * {@code body}, {@code isBase64Encoded}, {@code requestContext.http.method}) and takes back {@code statusCode},
 * {@code headers}, {@code body}; any other event is a direct invocation with the contract's JSON.
 */
public class SessionHttpEventHandler extends SessionHandlerSupport implements StreamRequestHandler {

    /** An HTTP event wraps the body (maybe base64) in its own JSON. */
    private static final int MAX_EVENT_BYTES = 4 * SessionActions.MAX_BODY_BYTES + 64 * 1024;

    public SessionHttpEventHandler() {
        super();
    }

    public SessionHttpEventHandler(Map<String, String> environment) {
        super(environment, Clock.systemUTC());
    }

    public SessionHttpEventHandler(Map<String, String> environment, Clock clock) {
        super(environment, clock);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event;
        try {
            event = BoundedBody.read(input, MAX_EVENT_BYTES);
        } catch (ApiException tooLarge) {
            output.write(httpAnswer(fail("session http", context, tooLarge)));
            return;
        }
        ObjectNode httpEvent = asHttpEvent(event);
        if (httpEvent == null) {
            output.write(run("session invoke", context, () -> event).body());
            return;
        }
        String method = httpEvent.path("requestContext").path("http").path("method").asText("");
        Answer answer = "POST".equalsIgnoreCase(method)
                ? run("session http", context, () -> body(httpEvent))
                : fail("session http", context, SessionHttpHandler.methodNotAllowed());
        output.write(httpAnswer(answer));
        output.flush();
    }

    /** The event as FC 3.0's HTTP trigger shapes it, or null for a direct invocation. */
    private static ObjectNode asHttpEvent(byte[] event) {
        try {
            JsonNode node = Json.readStored(event);
            if (node != null && node.isObject() && node.path("requestContext").path("http").isObject()
                    && node.has("isBase64Encoded")) {
                return (ObjectNode) node;
            }
        } catch (IOException notJson) {
            // not an HTTP event; the direct path reports the malformed JSON
        }
        return null;
    }

    private static byte[] body(ObjectNode event) {
        JsonNode body = event.get("body");
        if (body == null || body.isNull()) {
            return new byte[0];
        }
        byte[] bytes;
        if (event.path("isBase64Encoded").asBoolean(false)) {
            try {
                bytes = Base64.getDecoder().decode(body.asText());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("The request body is not valid base64.");
            }
        } else {
            bytes = body.asText().getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > SessionActions.MAX_BODY_BYTES) {
            throw SessionActions.tooLarge();
        }
        return bytes;
    }

    private static byte[] httpAnswer(Answer answer) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("statusCode", answer.status());
        ObjectNode headers = out.putObject("headers");
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put(CACHE_CONTROL, NO_STORE);
        if (answer.status() == 405) {
            headers.put("Allow", "POST");
        }
        out.put("isBase64Encoded", false);
        out.put("body", new String(answer.body(), StandardCharsets.UTF_8));
        return Json.write(out);
    }
}
