package com.fcminiapp.kit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A team's server logic: the signed-in caller and the event's {@code input} in, a result out. The kit turns the
 * result into the answer's {@code data}: a {@link JsonNode}, a {@code Map<String, ?>}, a {@code List} or other
 * {@code Collection}, a {@code String}, {@code Number} or {@code Boolean}, or null (JSON null), nested freely; any
 * other type is a bug and answers INTERNAL. A failure meant for the caller is an
 * {@link com.fcminiapp.common.error.ApiException} with a contract code ({@link AppErrors} makes them).
 */
@FunctionalInterface
public interface AppFunction {

    /**
     * @param caller the user the session names (never taken from the event or the input)
     * @param input  the event's {@code input} exactly as sent, or null when the event has none (absent or JSON null)
     */
    Object handle(Caller caller, JsonNode input) throws Exception;
}
