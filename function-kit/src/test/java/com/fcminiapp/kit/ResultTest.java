package com.fcminiapp.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fcminiapp.kit.testing.KitTestCloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A function's result becomes the answer's data without an ObjectMapper; a type with no JSON form is a bug
 * (INTERNAL), logged by its Java type only. Decimals are written as the project writes them (trailing zeros dropped).
 */
class ResultTest {

    static final KitTestCloud cloud = KitTestCloud.start();
    static final String SECRET = ErrorSeamTest.SECRET;
    static final String INTERNAL = ErrorSeamTest.INTERNAL;

    @AfterAll
    static void stop() {
        cloud.close();
    }

    private static JsonNode call(AppFunction function) {
        return cloud.invoke(TestHandler.of(cloud.env(), cloud.clock(), function), cloud.event(cloud.login("u"), "{}"));
    }

    @Test
    void mapsListsStringsNumbersBooleansAndNullsBecomeTheirJson() {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("list", List.of(1, 2L, 1.5, new BigDecimal("0.10"), new AtomicLong(7), (short) 3));
        result.put("set", new java.util.TreeSet<>(List.of("b", "a")));
        result.put("nested", Map.of("ok", true));
        result.put("none", null);
        result.put("node", JsonNodeFactory.instance.objectNode().put("x", "y"));
        result.put("text", "\u00e9");

        JsonNode answer = call((caller, input) -> result);

        assertThat(answer.get("data").toString()).isEqualTo("{\"list\":[1,2,1.5,0.1,7,3],\"set\":[\"a\",\"b\"],"
                + "\"nested\":{\"ok\":true},\"none\":null,\"node\":{\"x\":\"y\"},\"text\":\"\u00e9\"}");
        assertThat(call((caller, input) -> "plain").get("data").asText()).isEqualTo("plain");
        assertThat(call((caller, input) -> 42).get("data").asInt()).isEqualTo(42);
        assertThat(call((caller, input) -> null).toString()).isEqualTo("{\"data\":null}");
    }

    @Test
    void aResultWithNoJsonFormIsInternalAndTheLogNamesOnlyItsType() {
        int logged = cloud.logLines().size();
        JsonNode optional = call((caller, input) -> Optional.of(SECRET));
        JsonNode array = call((caller, input) -> new String[] {SECRET});
        JsonNode nested = call((caller, input) -> Map.of("a", List.of(new Object())));
        JsonNode badKey = call((caller, input) -> Map.of(1, SECRET));
        JsonNode nan = call((caller, input) -> Double.NaN);
        Map<String, Object> cycle = new LinkedHashMap<>();
        cycle.put("self", cycle);
        JsonNode cyclic = call((caller, input) -> cycle);

        for (JsonNode answer : Arrays.asList(optional, array, nested, badKey, nan, cyclic)) {
            assertThat(answer.at("/error/code").asText()).isEqualTo("INTERNAL");
            assertThat(answer.at("/error/message").asText()).isEqualTo(INTERNAL);
        }
        List<String> lines = cloud.logLines().subList(logged, cloud.logLines().size());
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("java.util.Optional has no JSON form"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("[Ljava.lang.String; has no JSON form"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("java.lang.Object has no JSON form"));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("a Map key of type java.lang.Integer"));
        assertThat(String.join("\n", lines)).doesNotContain("hunter2");
    }
}
