package com.fcminiapp.common.tables;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static com.fcminiapp.common.tables.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;

class FieldTypeTest {

    @ParameterizedTest(name = "{0} accepts {1}: {2}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "STRING => 'a' => true",
            "STRING => '' => true",
            "STRING => 1 => false",
            "STRING => null => false",
            "STRING => ['a'] => false",
            "INTEGER => 3 => true",
            "INTEGER => -3 => true",
            "INTEGER => 3.0 => true",
            "INTEGER => 1e3 => true",
            "INTEGER => 3.5 => false",
            "INTEGER => 9223372036854775807 => true",
            "INTEGER => 9223372036854775808 => false",
            "INTEGER => -9223372036854775808 => true",
            "INTEGER => -9223372036854775809 => false",
            "INTEGER => '3' => false",
            "INTEGER => true => false",
            "NUMBER => 3 => true",
            "NUMBER => 3.25 => true",
            "NUMBER => 1e300 => true",
            "NUMBER => '3' => false",
            "BOOLEAN => true => true",
            "BOOLEAN => false => true",
            "BOOLEAN => 'true' => false",
            "BOOLEAN => 0 => false",
            "STRING_ARRAY => [] => true",
            "STRING_ARRAY => ['a', 'b'] => true",
            "STRING_ARRAY => ['a', 1] => false",
            "STRING_ARRAY => [null] => false",
            "STRING_ARRAY => 'a' => false",
            "STRING_ARRAY => {} => false",
    })
    void acceptsExactlyTheValuesOfItsType(FieldType type, String value, boolean accepted) {
        assertThat(type.accepts(json(value))).isEqualTo(accepted);
    }

    @ParameterizedTest
    @CsvSource({"STRING, true", "INTEGER, true", "NUMBER, true", "BOOLEAN, true", "STRING_ARRAY, false"})
    void everyTypeButStringArrayIsSortable(FieldType type, boolean sortable) {
        assertThat(type.sortable()).isEqualTo(sortable);
        assertThat(type.accepts(null)).isFalse();
    }
}
