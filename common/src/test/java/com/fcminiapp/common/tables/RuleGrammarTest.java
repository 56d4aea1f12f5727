package com.fcminiapp.common.tables;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static com.fcminiapp.common.tables.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuleGrammarTest {

    private static boolean eval(String source) {
        return Rule.parse(source).allows("alice", obj("{}"));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            // && binds tighter than ||: (true || false) && false would be false
            "true || false && false => true",
            "false && true || true => true",
            // comparison binds tighter than &&: (true && 1) == 1 would be false
            "true && 1 == 1 => true",
            // ! binds tighter than comparison: !(1 == false) would be true
            "!1 == false => false",
            "!(1 == false) => true",
            "!!true => true",
            "(true || false) && false => false",
            "((((true)))) => true",
            "(1 < 2) == true => true",
    })
    void operatorsFollowTheUsualPrecedence(String source, boolean expected) {
        assertThat(eval(source)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "\"a\\\"b\" == 'a\"b' => true",
            "'it\\'s' == \"it's\" => true",
            "'\\u0041' == 'A' => true",
            "'a\\\\b' == \"a\\\\b\" => true",
            "'\\n\\t\\r\\b\\f\\/' == \"\\n\\t\\r\\b\\f/\" => true",
            "1.5 == 1.50 => true",
            "-2 < 0 => true",
            "1e3 == 1000 => true",
            "1E-2 == 0.01 => true",
            "0 == -0 => true",
            "[1, 'a', true, null] == [1, 'a', true, null] => true",
            "[] == [] => true",
            "null == null => true",
            "true != false => true",
            "'b' in ['a', 'b'] => true",
            "'c' in ['a', 'b'] => false",
    })
    void literalsReadAsWritten(String source, boolean expected) {
        assertThat(eval(source)).isEqualTo(expected);
    }

    @Test
    void whiteSpaceMayBeSpacesTabsAndNewlines() {
        assertThat(eval(" \t\n true\r\n&&\ttrue ")).isTrue();
    }

    @Test
    void operatorsNeedNoSpaces() {
        assertThat(eval("1<2&&2>=2||false")).isTrue();
        assertThat(Rule.parse("doc._owner==auth.uid").allows("alice", obj("{'_owner':'alice'}"))).isTrue();
    }

    @Test
    void theSourceIsKeptAsDeclared() {
        assertThat(Rule.parse(" doc.a == 1 ").source()).isEqualTo(" doc.a == 1 ");
    }

    @Test
    void docFieldsAreListedInOrderOfAppearance() {
        assertThat(Rule.parse("doc.b == 1 || doc.a in doc.b || doc._owner == auth.uid").docFields())
                .containsExactly("b", "a", "_owner");
    }

    @ParameterizedTest(name = "{0} fails at {1}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "`` => 0",
            "`   ` => 0",
            "doc.a == => 8",
            "(true => 5",
            "true &&& false => 7",
            "true & false => 5",
            "true false => 5",
            "'abc => 0",
            "doc.x == 'abc => 9",
            "foo == 1 => 0",
            "auth.foo => 4",
            "auth => 4",
            "doc => 3",
            "doc. a => 3",
            "doc.uid => 4",
            "doc._version => 4",
            "doc.1a => 3",
            "1 == 2 == 3 => 7",
            "1 < 2 == true => 6",
            "01 == 1 => 0",
            "1. == 1 => 0",
            "1e == 1 => 0",
            "1e1000 == 1 => 0",
            "1x => 1",
            "'\\q' => 1",
            "'\\u12' => 1",
            "[1, ] => 4",
            "[doc.a] => 1",
            "[1 2] => 3",
            "# => 0",
            ") => 0",
            "!= 1 => 0",
    })
    void syntaxErrorsNameTheirPosition(String source, int position) {
        assertThatThrownBy(() -> Rule.parse(source)).isInstanceOfSatisfying(RuleSyntaxException.class,
                e -> assertThat(e.position()).isEqualTo(position))
                .hasMessageStartingWith("at position " + position + ": ");
    }

    @Test
    void aControlCharacterInAStringIsRefused() {
        assertThatThrownBy(() -> Rule.parse("'a\u0001'")).isInstanceOfSatisfying(RuleSyntaxException.class,
                e -> assertThat(e.position()).isEqualTo(2));
    }

    @Test
    void aLongerNumberThanTheExponentLimitIsStillFineInItsDigits() {
        assertThat(eval("123456789012345678901234567890 > 1e999")).isFalse();
    }

    @Test
    void nestingUpTo32LevelsParses() {
        assertThat(eval("(".repeat(32) + "true" + ")".repeat(32))).isTrue();
        assertThat(eval("!".repeat(32) + "true")).isTrue();
        assertThat(eval("(".repeat(31) + "[1] == [1]" + ")".repeat(31))).isTrue();
    }

    @Test
    void nestingBeyond32LevelsIsRefusedAtTheLevelThatExceeds() {
        assertThatThrownBy(() -> Rule.parse("(".repeat(33) + "true" + ")".repeat(33)))
                .isInstanceOfSatisfying(RuleSyntaxException.class, e -> assertThat(e.position()).isEqualTo(32))
                .hasMessageContaining("32 levels");
        assertThatThrownBy(() -> Rule.parse("!".repeat(33) + "true"))
                .isInstanceOfSatisfying(RuleSyntaxException.class, e -> assertThat(e.position()).isEqualTo(32));
        assertThatThrownBy(() -> Rule.parse("(".repeat(32) + "[1] == [1]" + ")".repeat(32)))
                .isInstanceOfSatisfying(RuleSyntaxException.class, e -> assertThat(e.position()).isEqualTo(32));
    }

    @Test
    void deepNestingFailsCleanlyInsteadOfOverflowingTheStack() {
        assertThatThrownBy(() -> Rule.parse("(".repeat(1000))).isInstanceOf(RuleSyntaxException.class);
    }

    @Test
    void aLongFlatChainIsNotNesting() {
        String chain = "true" + " || false".repeat(150);
        assertThat(eval(chain)).isTrue();
    }

    @Test
    void sourcesUpTo2000CharactersParseAndLongerOnesAreRefused() {
        String atLimit = "true" + " ".repeat(1996);
        assertThat(atLimit).hasSize(2000);
        assertThat(eval(atLimit)).isTrue();

        assertThatThrownBy(() -> Rule.parse(atLimit + " ")).isInstanceOfSatisfying(RuleSyntaxException.class,
                e -> assertThat(e.position()).isEqualTo(2000)).hasMessageContaining("longer than 2000 characters");
    }

    @Test
    void aMissingRuleIsASyntaxError() {
        assertThatThrownBy(() -> Rule.parse(null)).isInstanceOf(RuleSyntaxException.class);
    }

    @Test
    void errorsNeverQuoteTheExpression() {
        assertThatThrownBy(() -> Rule.parse("doc.secretName == 'sekrit' &&")).isInstanceOf(RuleSyntaxException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sekrit").doesNotContain("secretName"));
    }
}
