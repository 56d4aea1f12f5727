package com.fcminiapp.common.tables;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static com.fcminiapp.common.tables.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

class RuleEvaluationTest {

    @ParameterizedTest(name = "{0} on {1} is {2}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "doc.a == 1 => {'a': 1.0} => true",
            "doc.a == 1 => {'a': '1'} => false",
            "doc.a == null => {} => true",
            "doc.a != null => {} => false",
            "doc.a != 1 => {} => true",
            "doc.a == null => {'a': 0} => false",
            "doc.a < 5 => {'a': 4.5} => true",
            "doc.a < 5 => {'a': 5} => false",
            "doc.a <= 5 => {'a': 5} => true",
            "doc.a < 5 => {'a': 'x'} => false",
            "doc.a >= 5 => {'a': 'x'} => false",
            "doc.a < 5 => {} => false",
            "doc.a >= 'b' => {'a': 'c'} => true",
            "doc.a > 'b' => {'a': 'ba'} => true",
            "doc.a > 'b' => {'a': 'B'} => false",
            "doc.a < true => {'a': false} => false",
            "'a' in doc.tags => {'tags': ['b', 'a']} => true",
            "'a' in doc.tags => {'tags': ['b']} => false",
            "'a' in doc.tags => {'tags': 'a'} => false",
            "'a' in doc.tags => {} => false",
            "1 in doc.nums => {'nums': [1.0, 2]} => true",
            "doc.a in [1, 2] => {'a': 2} => true",
            "doc.a in [1, 2] => {} => false",
            "null in [1, null] => {} => true",
            "doc.tags == ['a', 'b'] => {'tags': ['a', 'b']} => true",
            "doc.tags == ['a', 'b'] => {'tags': ['b', 'a']} => false",
            "doc.o == doc.p => {'o': {'x': [1]}, 'p': {'x': [1.0]}} => true",
            "doc.o == doc.p => {'o': {'x': 1}, 'p': {'y': 1}} => false",
            "doc.a => {'a': true} => true",
            "doc.a => {'a': 1} => false",
            "doc.a => {'a': 'true'} => false",
            "doc.a => {} => false",
            "!doc.a => {'a': 1} => true",
            "!doc.a => {'a': true} => false",
            "1 => {} => false",
            "'true' => {} => false",
            "doc.a && doc.b => {'a': true, 'b': true} => true",
            "doc.a || doc.b => {'a': false, 'b': 'x'} => false",
            "doc.id == 'r1' => {'id': 'r1'} => true",
            "doc._createdAt > 100 => {'_createdAt': 101} => true",
    })
    void valuesCompareByTheGrammarsRules(String source, String doc, boolean expected) {
        assertThat(Rule.parse(source).allows("alice", obj(doc))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} as {1} is {2}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "doc._owner == auth.uid => alice => true",
            "doc._owner == auth.uid => bob => false",
            "auth.uid in doc.members => carol => true",
            "auth.uid in doc.members => bob => false",
            "doc._owner == auth.uid || auth.uid in doc.members => carol => true",
            "auth.uid in ['admin', 'root'] => admin => true",
            "auth.uid != null => bob => true",
    })
    void authUidIsTheCaller(String source, String uid, boolean expected) {
        assertThat(Rule.parse(source).allows(uid, obj("{'_owner': 'alice', 'members': ['carol']}")))
                .isEqualTo(expected);
    }

    @Test
    void withoutACallerAuthUidIsNull() {
        assertThat(Rule.parse("auth.uid == null").allows(null, obj("{}"))).isTrue();
        assertThat(Rule.parse("doc._owner == auth.uid").allows(null, obj("{}"))).isTrue();
        assertThat(Rule.parse("doc._owner == auth.uid").allows(null, obj("{'_owner': 'alice'}"))).isFalse();
    }

    @Test
    void stringsOrderByCodePointNotByUtf16Unit() {
        // U+1F600 is above U+FFFF although its first UTF-16 unit (0xD83D) is below 0xFFFF
        assertThat(Rule.parse("'\uD83D\uDE00' > '\uFFFF'").allows("a", obj("{}"))).isTrue();
        assertThat(Rule.parse("'ab' > 'a'").allows("a", obj("{}"))).isTrue();
        assertThat(Rule.parse("'a' < 'ab'").allows("a", obj("{}"))).isTrue();
    }

    @Test
    void aNullDocReadsEveryFieldAsMissing() {
        assertThat(Rule.parse("doc.a == null").allows("a", null)).isTrue();
    }

    @Test
    void andAndOrShortCircuit() {
        // the right side would be false either way; the point is the result with a left side deciding
        assertThat(Rule.parse("false && doc.x").allows("a", obj("{'x': true}"))).isFalse();
        assertThat(Rule.parse("true || doc.x").allows("a", obj("{}"))).isTrue();
    }
}
