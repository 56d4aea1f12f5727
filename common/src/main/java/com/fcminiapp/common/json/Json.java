package com.fcminiapp.common.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.error.ApiException;

import java.io.IOException;

/** The JSON reader and writer both functions share: strict on input (no duplicate keys, no trailing data). */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
                    .build())
            // two "sid" keys must not let one part of the stack read another value than the next
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private Json() {
    }

    /** Parses a request body that must be one JSON object; anything else is INVALID_ARGUMENT. */
    public static ObjectNode parseObject(byte[] body) {
        if (body == null || body.length == 0) {
            throw ApiException.invalid("The request body is empty; send a JSON object.");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiException.invalid("The request body is not valid JSON: " + describe(e));
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("The request body must be a JSON object.");
        }
        return (ObjectNode) node;
    }

    public static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    private static String describe(IOException e) {
        // only the position: Jackson's own message can quote the offending token, which may be a secret
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
            com.fasterxml.jackson.core.JsonProcessingException jpe = (com.fasterxml.jackson.core.JsonProcessingException) e;
            String original = jpe.getOriginalMessage();
            if (original != null && original.startsWith("Duplicate field")) {
                return "a field appears twice";
            }
            if (jpe.getLocation() != null) {
                return "error at line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr();
            }
        }
        return "unreadable";
    }
}
