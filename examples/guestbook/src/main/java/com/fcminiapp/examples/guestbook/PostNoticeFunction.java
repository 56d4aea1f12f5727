package com.fcminiapp.examples.guestbook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.kit.AppErrors;
import com.fcminiapp.kit.AppFunction;
import com.fcminiapp.kit.Caller;
import com.fcminiapp.kit.Kit;
import com.fcminiapp.kit.Table;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Posts a notice: input {@code {"text": "..."}} adds a row to the server-write table {@code notices} (every user reads
 * it, no user writes it through the db function), with {@code _owner} the caller. Only the uids of the team variable
 * {@code ADMIN_UIDS} may post; anyone else is PERMISSION_DENIED and nothing is written. Answers {@code {"id",
 * "_version"}}.
 */
public final class PostNoticeFunction implements AppFunction {

    static final String TABLE = "notices";
    static final String ADMINS = "ADMIN_UIDS";
    /** A notice is one screen's worth of text. */
    static final int MAX_TEXT = 500;

    private final Table notices;
    private final Set<String> admins;

    public PostNoticeFunction(Kit kit) {
        this.notices = kit.table(TABLE);
        this.admins = Arrays.stream(kit.variables().optional(ADMINS, "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public Object handle(Caller caller, JsonNode input) {
        if (!admins.contains(caller.uid())) {
            throw AppErrors.denied("Only the team's admins (" + ADMINS + ") may post notices.");
        }
        JsonNode text = input == null ? null : input.get("text");
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
            throw AppErrors.invalid("input.text must be a non-empty string.");
        }
        if (text.asText().codePointCount(0, text.asText().length()) > MAX_TEXT) {
            throw AppErrors.invalid("input.text may have at most " + MAX_TEXT + " characters.");
        }
        ObjectNode row = JsonNodeFactory.instance.objectNode().put("text", text.asText());
        return notices.rowsOf(caller).add(row);
    }
}
