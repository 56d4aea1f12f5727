package com.fcminiapp.localcloud.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.localcloud.fcapi.AdminGuard;
import com.fcminiapp.localcloud.fcapi.AdminRoutes;
import com.fcminiapp.localcloud.fcapi.FcError;
import com.fcminiapp.localcloud.standin.alipay.AlipayStandIn;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * {@code POST /_admin/alipay/phone-number {"user": "<login name>", "mobile": "…"}} → {@code {"response": "…"}}:
 * what {@code my.getPhoneNumber} hands the page as {@code res.response} when that user shares that number, signed
 * and encrypted by the Alipay stand-in as Alipay does it (so tests and the sandbox need no real enterprise app).
 */
public final class AlipayRoutes implements AdminRoutes {

    static final String PHONE_NUMBER = "/_admin/alipay/phone-number";
    /** A login name as an auth code {@code name:anything} carries it. */
    private static final Pattern USER = Pattern.compile("[^:\\p{Cntrl}]{1,64}");
    /** What Alipay hands out, and what the session function accepts. */
    private static final Pattern MOBILE = Pattern.compile("\\+?[0-9]{5,20}");

    private final AlipayStandIn alipay;

    public AlipayRoutes(AlipayStandIn alipay) {
        this.alipay = alipay;
    }

    @Override
    public boolean handles(String path) {
        return path.equals(PHONE_NUMBER);
    }

    @Override
    public void serve(HttpExchange exchange, String requestId, String path, AdminGuard guard)
            throws IOException, FcError {
        AdminDataRoutes.allow(exchange.getRequestMethod(), "POST");
        guard.checkWrite(exchange);
        JsonNode body = AdminDataRoutes.body(exchange, true);
        String usage = "Send {\"user\": \"<login name>\", \"mobile\": \"13812345678\"}";
        JsonNode user = body.get("user");
        if (user == null || !user.isTextual() || !USER.matcher(user.asText()).matches()) {
            throw ConsoleData.invalid(usage + ": user is the name before the ':' of the user's auth codes (1 to 64"
                    + " characters, no ':').");
        }
        JsonNode mobile = body.get("mobile");
        if (mobile == null || !mobile.isTextual() || !MOBILE.matcher(mobile.asText()).matches()) {
            throw ConsoleData.invalid(usage + ": mobile is 5 to 20 digits, optionally after a '+'.");
        }
        AdminDataRoutes.answer(exchange, requestId,
                AdminDataRoutes.object().put("response", alipay.phoneNumberResponse(mobile.asText())));
    }
}
