package com.fcminiapp.common.config;

import com.fcminiapp.common.config.SessionConfig.CallableFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CALLABLE_FUNCTIONS, the app functions users' credentials may invoke besides the db function: optional, entries
 * {@code service/function} (FC 2.0) or {@code function} (FC 3.0) by FC's name rules, blanks around them ignored; a
 * bad or repeated entry is refused naming the variable and the entry's position, never its text.
 */
class CallableFunctionsTest {

    private static Map<String, String> valid;

    @BeforeAll
    static void sessionEnvironment() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair app = rsa.generateKeyPair();
        KeyPair alipay = rsa.generateKeyPair();
        valid = new HashMap<>();
        valid.put("TABLESTORE_ENDPOINT", "http://127.0.0.1:1");
        valid.put("TABLESTORE_INSTANCE", "miniapp");
        valid.put("ALIPAY_APP_ID", "2021000000000000");
        valid.put("ALIPAY_PRIVATE_KEY", Base64.getEncoder().encodeToString(app.getPrivate().getEncoded()));
        valid.put("ALIPAY_PUBLIC_KEY", Base64.getEncoder().encodeToString(alipay.getPublic().getEncoded()));
        valid.put("STS_ROLE_ARN", "acs:ram::1234567890123456:role/fc-miniapp-invoke");
        valid.put("DB_FUNCTION_NAME", "db");
        valid.put("FC_REGION", "cn-hangzhou");
        valid.put("FC_ACCOUNT_ID", "1234567890123456");
        valid.put("OSS_ENDPOINT", "http://127.0.0.1:2");
        valid.put("OSS_BUCKET", "miniapp-files");
    }

    private static SessionConfig with(String callables) {
        Map<String, String> env = new HashMap<>(valid);
        if (callables != null) {
            env.put("CALLABLE_FUNCTIONS", callables);
        }
        return SessionConfig.from(env);
    }

    private static List<String> problems(String callables) {
        try {
            with(callables);
        } catch (ConfigException e) {
            return e.problems();
        }
        throw new AssertionError("CALLABLE_FUNCTIONS '" + callables + "' was accepted");
    }

    @Test
    void unsetOrBlankMeansNoCallableFunction() {
        assertThat(with(null).callableFunctions()).isEmpty();
        assertThat(with("").callableFunctions()).isEmpty();
        assertThat(with("   ").callableFunctions()).isEmpty();
    }

    @Test
    void entriesAreServiceSlashFunctionOrAFunctionAloneInTheirOrder() {
        List<CallableFunction> callables = with("fc-miniapp-checkin/checkin,leaderboard").callableFunctions();

        assertThat(callables).extracting(CallableFunction::toString).containsExactly("fc-miniapp-checkin/checkin",
                "leaderboard");
        assertThat(callables.get(0).service()).contains("fc-miniapp-checkin");
        assertThat(callables.get(0).function()).isEqualTo("checkin");
        assertThat(callables.get(1).service()).isEmpty();
        assertThat(callables.get(1).function()).isEqualTo("leaderboard");
    }

    @Test
    void blanksAroundEntriesAreIgnored() {
        assertThat(with("  svc/a ,\tb  ").callableFunctions()).extracting(CallableFunction::toString)
                .containsExactly("svc/a", "b");
    }

    @Test
    void namesFollowFcRulesUpTo128Characters() {
        String longest = "_" + "a".repeat(127);
        assertThat(with(longest + "/" + longest).callableFunctions()).hasSize(1);

        assertThat(problems("a" + longest)).containsExactly("CALLABLE_FUNCTIONS entry 1 is not service/function or"
                + " function (each name a letter or _, then up to 127 letters, digits, _ or -)");
    }

    @Test
    void aBadEntryIsNamedByItsPositionNeverByItsText() {
        for (String bad : List.of("1abc", "svc/", "/fn", "a/b/c", "sv c/fn", "fn.v1", "fn$x", "svc//fn")) {
            assertThat(problems("ok," + bad)).as(bad).singleElement().asString()
                    .startsWith("CALLABLE_FUNCTIONS entry 2 is not service/function or function")
                    .doesNotContain(bad);
        }
    }

    @Test
    void anEmptyEntryIsRefused() {
        assertThat(problems("a,,b")).singleElement().asString().startsWith("CALLABLE_FUNCTIONS entry 2 is not");
        assertThat(problems("a,")).singleElement().asString().startsWith("CALLABLE_FUNCTIONS entry 2 is not");
        assertThat(problems(",a")).singleElement().asString().startsWith("CALLABLE_FUNCTIONS entry 1 is not");
    }

    @Test
    void aRepeatedEntryIsRefusedNamingBothPositions() {
        assertThat(problems("svc/a, b ,svc/a")).containsExactly("CALLABLE_FUNCTIONS entry 3 repeats entry 1");
        assertThat(problems("b,b")).containsExactly("CALLABLE_FUNCTIONS entry 2 repeats entry 1");
    }

    @Test
    void theSameFunctionInAnotherServiceOrWithoutOneIsAnotherEntry() {
        assertThat(with("one/a,two/a,a").callableFunctions()).extracting(CallableFunction::toString)
                .containsExactly("one/a", "two/a", "a");
    }

    @Test
    void everyBadEntryIsNamedTogetherWithTheOtherVariablesProblems() {
        Map<String, String> env = new HashMap<>(valid);
        env.remove("DB_FUNCTION_NAME");
        env.put("CALLABLE_FUNCTIONS", "9/x,ok,ok,-y");

        assertThatThrownBy(() -> SessionConfig.from(env)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "DB_FUNCTION_NAME is missing (expected a function name)",
                        "CALLABLE_FUNCTIONS entry 1 is not service/function or function (each name a letter or _,"
                                + " then up to 127 letters, digits, _ or -)",
                        "CALLABLE_FUNCTIONS entry 3 repeats entry 2",
                        "CALLABLE_FUNCTIONS entry 4 is not service/function or function (each name a letter or _,"
                                + " then up to 127 letters, digits, _ or -)"))
                .hasMessageNotContaining("9/x").hasMessageNotContaining("-y");
    }

    @Test
    void theSessionFunctionOwnsTheVariable() {
        assertThat(SessionConfig.VARIABLES).contains("CALLABLE_FUNCTIONS");
        assertThat(DbConfig.VARIABLES).doesNotContain("CALLABLE_FUNCTIONS");
    }

    @Test
    void aProblemFoundWhereTheConfigIsUsedIsAConfigExceptionLikeTheOthers() {
        ConfigException e = SessionConfig.problem("CALLABLE_FUNCTIONS makes it too long");

        assertThat(e.problems()).containsExactly("CALLABLE_FUNCTIONS makes it too long");
        assertThat(e).hasMessage("Invalid function configuration: CALLABLE_FUNCTIONS makes it too long");
    }
}
