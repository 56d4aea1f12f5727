package com.fcminiapp.kit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.json.Json;

import java.util.Base64;

/**
 * The opaque {@code next} token of a listing: base64url of a small JSON holding the listing it belongs to (scope:
 * table or "files", prefix, direction) and the last key the page ended on. It never holds a uid: the partition
 * or folder is re-derived from the session on every page, so a token, forged or another user's, can only move
 * within the caller's own rows or files.
 */
public final class PageToken {

    private static final int MAX_CHARS = 4096;

    final String scope;
    final String prefix;
    final boolean reverse;
    final String last;

    public PageToken(String scope, String prefix, boolean reverse, String last) {
        this.scope = scope;
        this.prefix = prefix;
        this.reverse = reverse;
        this.last = last;
    }

    public String encode() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("s", scope);
        node.put("p", prefix);
        node.put("r", reverse);
        node.put("l", last);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(node));
    }

    /**
     * Reads {@code token} for a listing of {@code scope} with {@code prefix} and {@code reverse}; a token of another
     * listing, or whose last key is outside the prefix, is INVALID_ARGUMENT.
     */
    static PageToken decode(String token, String scope, String prefix, boolean reverse) {
        JsonNode node;
        try {
            if (token.isEmpty() || token.length() > MAX_CHARS) {
                throw invalid();
            }
            node = Json.parseObject(Base64.getUrlDecoder().decode(token));
        } catch (IllegalArgumentException | ApiException e) {
            throw invalid();
        }
        JsonNode s = node.get("s");
        JsonNode p = node.get("p");
        JsonNode r = node.get("r");
        JsonNode l = node.get("l");
        if (node.size() != 4 || s == null || !s.isTextual() || p == null || !p.isTextual() || r == null
                || !r.isBoolean() || l == null || !l.isTextual()) {
            throw invalid();
        }
        if (!s.asText().equals(scope) || !p.asText().equals(prefix) || r.booleanValue() != reverse
                || !l.asText().startsWith(prefix)) {
            throw ApiException.invalid("next belongs to another listing; send the same table, prefix and reverse "
                    + "as the first page, or start over without next.");
        }
        return new PageToken(scope, prefix, reverse, l.asText());
    }

    private static ApiException invalid() {
        return ApiException.invalid("next is not a token this listing returned; start over without next.");
    }
}
