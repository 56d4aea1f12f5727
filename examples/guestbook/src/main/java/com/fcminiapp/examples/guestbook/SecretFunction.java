package com.fcminiapp.examples.guestbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.kit.AppErrors;
import com.fcminiapp.kit.AppFunction;
import com.fcminiapp.kit.Caller;
import com.fcminiapp.kit.Kit;
import com.fcminiapp.kit.Rows;
import com.fcminiapp.kit.Table;

/**
 * The caller's secret, kept in the server-only table {@code secrets} (no user reaches it through the db function):
 * input {@code {"secret": "..."}} stores it, {@code {"secret": null}} removes it, anything else (no input, {@code {}})
 * reads it. Its row's id is the caller's uid, so a user reaches exactly one row, the function's choice, never one the
 * input names. Answers {@code {"secret": <text or null>}}.
 */
public final class SecretFunction implements AppFunction {

    static final String TABLE = "secrets";
    static final String FIELD = "secret";
    static final int MAX_SECRET = 1000;

    private final Table secrets;

    public SecretFunction(Kit kit) {
        this.secrets = kit.table(TABLE);
    }

    @Override
    public Object handle(Caller caller, JsonNode input) {
        Rows rows = secrets.rowsOf(caller);
        String id = caller.uid();
        if (input != null && input.has(FIELD)) {
            JsonNode value = input.get(FIELD);
            if (value.isNull()) {
                rows.remove(id, null);
            } else if (!value.isTextual() || value.asText().length() > MAX_SECRET) {
                throw AppErrors.invalid("input.secret must be a string of at most " + MAX_SECRET
                        + " characters, or null to remove it.");
            } else {
                rows.put(JsonNodeFactory.instance.objectNode().put("id", id).put(FIELD, value.asText()));
            }
        }
        ObjectNode stored = rows.get(id);
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.set(FIELD, stored == null ? JsonNodeFactory.instance.nullNode() : stored.get(FIELD));
        return answer;
    }
}
