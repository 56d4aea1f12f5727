package com.fcminiapp.common;

import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.common.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

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

    @ParameterizedTest
    @ValueSource(strings = {"{\"sid\": secretvalue123}", "{\"x\": tru3}"})
    void parseErrorsDoNotQuoteTheInput(String body) {
        assertThatThrownBy(() -> Json.parseObject(body.getBytes(StandardCharsets.UTF_8)))
                .hasMessageNotContaining("secretvalue123").hasMessageNotContaining("tru3")
                .hasMessageContaining("line 1");
    }
}
