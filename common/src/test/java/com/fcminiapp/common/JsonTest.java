package com.fcminiapp.common;

import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.common.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    @ParameterizedTest
    @ValueSource(strings = {"{\"sid\":\"a\",\"sid\":\"b\"}", "{} {}", "[]", "null", "{\"a\":", "{'a':1}"})
    void ambiguousOrMalformedBodiesAreRefused(String body) {
        assertThatThrownBy(() -> Json.parseObject(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    if (e.code() != ErrorCode.INVALID_ARGUMENT) {
                        throw new AssertionError(e.code());
                    }
                });
    }

    @Test
    void nestingIsKeptUpToSixtyFourLevels() {
        ObjectNode read = Json.parseObject(nested(64));

        assertThat(read.at("/a" + "/0".repeat(62)).isArray()).isTrue();
        assertThat(new String(Json.write(read), StandardCharsets.UTF_8)).isEqualTo(new String(nested(64),
                StandardCharsets.UTF_8));
    }

    @Test
    void nestingBeyondSixtyFourLevelsIsRefused() {
        assertThatThrownBy(() -> Json.parseObject(nested(65))).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("nests deeper than 64 levels");
    }

    /** An object whose field holds arrays in arrays: {@code levels} levels deep, the object included. */
    private static byte[] nested(int levels) {
        int arrays = levels - 1;
        return ("{\"a\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}").getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"sid\": secretvalue123}", "{\"x\": tru3}"})
    void parseErrorsDoNotQuoteTheInput(String body) {
        assertThatThrownBy(() -> Json.parseObject(body.getBytes(StandardCharsets.UTF_8)))
                .hasMessageNotContaining("secretvalue123").hasMessageNotContaining("tru3")
                .hasMessageContaining("line 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"n\":1e400}", "{\"n\":-1e400}", "{\"n\":[1, 1.8e308]}",
            "{\"n\":{\"deep\":1797693134862315800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000}}"})
    void numbersBeyondTheDoubleRangeAreRefusedNamingTheirField(String body) {
        assertThatThrownBy(() -> Json.parseObject(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageMatching("The number in field (n|deep) is beyond what a double holds.*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.7976931348623157e308", "-1.7976931348623157e308", "4.9e-324", "1e-400"})
    void numbersUpToTheDoubleLimitAreKeptAsWritten(String number) {
        String body = "{\"n\":" + number + "}";
        String back = new String(Json.write(Json.parseObject(body.getBytes(StandardCharsets.UTF_8))),
                StandardCharsets.UTF_8);
        assertThat(new java.math.BigDecimal(back.substring(5, back.length() - 1)))
                .isEqualByComparingTo(new java.math.BigDecimal(number));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-0.0", "-0e5", "-0.000"})
    void negativeZeroStaysNegative(String number) {
        String body = "{\"n\":" + number + ",\"a\":[" + number + "]}";
        String back = new String(Json.write(Json.parseObject(body.getBytes(StandardCharsets.UTF_8))),
                StandardCharsets.UTF_8);
        assertThat(back).isEqualTo("{\"n\":-0.0,\"a\":[-0.0]}");
    }

    @org.junit.jupiter.api.Test
    void decimalsKeepTheirDigits() {
        String body = "{\"n\":0.10000000000000000000000001,\"m\":-2.5e-7}";
        assertThat(new String(Json.write(Json.parseObject(body.getBytes(StandardCharsets.UTF_8))),
                StandardCharsets.UTF_8)).isEqualTo("{\"n\":0.10000000000000000000000001,\"m\":-2.5E-7}");
    }

    @org.junit.jupiter.api.Test
    void storedValuesBeyondTheRangeStillRead() throws Exception {
        assertThat(Json.readStored("[1E+400]".getBytes(StandardCharsets.UTF_8)).get(0).decimalValue())
                .isEqualByComparingTo("1e400");
    }
}
