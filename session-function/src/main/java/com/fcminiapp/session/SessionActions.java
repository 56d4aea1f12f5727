package com.fcminiapp.session;

import com.fcminiapp.common.fc.BoundedBody;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.session.sts.TemporaryCredentials;

import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The session function's wire protocol: reads a request body ({@code {"authCode"}} or {@code {"action", ...}}),
 * calls {@link SessionService} and writes the contract's answer. Failures are thrown as {@link ApiException}.
 */
public final class SessionActions {

    /** Larger bodies are refused before parsing; a real request is well under 1 KiB. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_AUTH_CODE_CHARS = 512;
    /** my.getPhoneNumber's response is about 400 characters. */
    static final int MAX_PHONE_RESPONSE_CHARS = 4096;
    private static final String ACTIONS = "login, refresh, logout, phone or deleteAccount";

    private final SessionService service;
    private final PhoneService phone;

    public SessionActions(SessionService service, PhoneService phone) {
        this.service = service;
        this.phone = phone;
    }

    /** Runs one request; {@code body} is the raw JSON text. */
    public ObjectNode handle(byte[] body) {
        if (body != null && body.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        return handle(Json.parseObject(body));
    }

    public ObjectNode handle(ObjectNode request) {
        String action = action(request);
        switch (action) {
            case "login":
                return grant(service.login(authCode(request)));
            case "refresh":
                return grant(service.refresh(sessionId(request)));
            case "logout":
                Object sessionId = sessionId(request);
                if (sessionId == null) {
                    throw ApiException.unauthenticated();
                }
                service.logout((String) sessionId);
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                out.put("loggedOut", true);
                return out;
            case "deleteAccount":
                service.deleteAccount(sessionId(request));
                ObjectNode deleted = JsonNodeFactory.instance.objectNode();
                deleted.put("deleted", true);
                return deleted;
            case "phone":
                ObjectNode masked = JsonNodeFactory.instance.objectNode();
                masked.put("phone", phone.phone(sessionId(request), phoneResponse(request)));
                return masked;
            default:
                throw ApiException.invalid("Unknown action; use " + ACTIONS + ".");
        }
    }

    public static ApiException tooLarge() {
        return BoundedBody.tooLarge(MAX_BODY_BYTES);
    }

    private static String action(ObjectNode request) {
        JsonNode action = request.get("action");
        if (action == null || action.isNull()) {
            return "login";
        }
        if (!action.isTextual()) {
            throw ApiException.invalid("action must be a string: " + ACTIONS + ".");
        }
        return action.asText();
    }

    private static String authCode(ObjectNode request) {
        JsonNode code = request.get("authCode");
        if (code == null || code.isNull()) {
            throw ApiException.invalid("authCode is missing; get one with my.getAuthCode and send {\"authCode\": \"…\"}.");
        }
        if (!code.isTextual() || code.asText().isEmpty()) {
            throw ApiException.invalid("authCode must be a non-empty string.");
        }
        String text = code.asText();
        if (text.length() > MAX_AUTH_CODE_CHARS || text.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid("authCode is not an Alipay auth code (too long or has control characters).");
        }
        return text;
    }

    /** The phone action's {@code response}: the string my.getPhoneNumber gave the page as res.response. */
    private static String phoneResponse(ObjectNode request) {
        JsonNode response = request.get("response");
        if (response == null || response.isNull()) {
            throw ApiException.invalid("response is missing; send {\"action\": \"phone\", \"sessionId\","
                    + " \"response\"} with res.response of my.getPhoneNumber.");
        }
        if (!response.isTextual() || response.asText().isEmpty()
                || response.asText().length() > MAX_PHONE_RESPONSE_CHARS) {
            throw ApiException.invalid("response must be the string my.getPhoneNumber gave as res.response (1 to "
                    + MAX_PHONE_RESPONSE_CHARS + " characters).");
        }
        return response.asText();
    }

    /** The session id as sent: null when absent; a non-string is a malformed field. */
    private static String sessionId(ObjectNode request) {
        JsonNode id = request.get("sessionId");
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isTextual()) {
            throw ApiException.invalid("sessionId must be the string a login returned.");
        }
        return id.asText();
    }

    private static ObjectNode grant(SessionGrant grant) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("sessionId", grant.sessionId());
        out.put("userId", grant.userId());
        out.put("expiresAt", iso(grant.expiresAt()));
        TemporaryCredentials c = grant.sts();
        ObjectNode sts = out.putObject("sts");
        sts.put("AccessKeyId", c.accessKeyId());
        sts.put("AccessKeySecret", c.accessKeySecret());
        sts.put("SecurityToken", c.securityToken());
        sts.put("Expiration", iso(c.expiration()));
        return out;
    }

    private static String iso(java.time.Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
