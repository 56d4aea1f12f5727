package com.fcminiapp.session.sts;

import com.fcminiapp.common.config.ConfigException;
import com.fcminiapp.common.config.SessionConfig.CallableFunction;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The users' inline policy, as the exact text STS is given: invoke on the db function and on each callable function,
 * FC 2.0's resource for a function with a service and FC 3.0's for every function, nothing else; a list that would
 * make it longer than STS takes is refused.
 */
class InvokePolicyTest {

    private static final String HEAD = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":[\"fc:InvokeFunction\"],\"Resource\":[";
    private static final String TAIL = "]}]}";
    private static final String FC = "acs:fc:cn-shanghai:42:";

    private static String policy(String dbService, CallableFunction... callables) {
        return InvokePolicy.forDbFunction("cn-shanghai", "42", dbService, "db", List.of(callables));
    }

    private static String resources(String... arns) {
        List<String> quoted = new ArrayList<>();
        for (String arn : arns) {
            quoted.add("\"" + FC + arn + "\"");
        }
        return HEAD + String.join(",", quoted) + TAIL;
    }

    @Test
    void withNoCallableFunctionOnlyTheDbFunctionInBothFcForms() {
        assertThat(policy("svc")).isEqualTo(resources("services/svc/functions/db", "functions/db"));
        assertThat(InvokePolicy.forDbFunction("cn-shanghai", "42", "svc", "db")).isEqualTo(policy("svc"));
    }

    @Test
    void withoutADbServiceOnlyTheFc3FormRemains() {
        assertThat(policy(null)).isEqualTo(resources("functions/db"));
        assertThat(policy("")).isEqualTo(resources("functions/db"));
    }

    @Test
    void oneCallableFunctionWithAServiceAddsItsFc2AndFc3Forms() {
        assertThat(policy("fc-miniapp", new CallableFunction("fc-miniapp-checkin", "checkin"))).isEqualTo(resources(
                "services/fc-miniapp/functions/db", "functions/db",
                "services/fc-miniapp-checkin/functions/checkin", "functions/checkin"));
    }

    @Test
    void twoCallableFunctionsFollowInTheirOrderAnFc3EntryWithItsFc3FormOnly() {
        assertThat(policy("fc-miniapp", new CallableFunction("fc-miniapp-checkin", "checkin"),
                new CallableFunction(null, "leaderboard"))).isEqualTo(resources(
                "services/fc-miniapp/functions/db", "functions/db",
                "services/fc-miniapp-checkin/functions/checkin", "functions/checkin",
                "functions/leaderboard"));
    }

    @Test
    void anFc3DeploymentNamesEveryFunctionInItsFc3FormOnly() {
        assertThat(policy(null, new CallableFunction(null, "checkin"), new CallableFunction(null, "leaderboard")))
                .isEqualTo(resources("functions/db", "functions/checkin", "functions/leaderboard"));
    }

    @Test
    void aResourceTwoEntriesShareIsNamedOnce() {
        assertThat(policy("svc", new CallableFunction("one", "db"), new CallableFunction("two", "db")))
                .isEqualTo(resources("services/svc/functions/db", "functions/db", "services/one/functions/db",
                        "services/two/functions/db"));
    }

    @Test
    void aPolicyOfExactlyTheLimitIsGivenAndOneCharacterMoreIsRefused() {
        int base = policy(null).length();
        // each FC 3.0 entry adds ,"acs:fc:cn-shanghai:42:functions/<name>" = 35 + the name's length
        int perEntry = policy(null, new CallableFunction(null, "f")).length() - base - 1;
        List<CallableFunction> fill = new ArrayList<>();
        int length = base;
        for (int i = 0; length + perEntry + 128 <= InvokePolicy.MAX_CHARS; i++) {
            String name = "f" + String.format("%03d", i) + "x".repeat(124);
            fill.add(new CallableFunction(null, name));
            length += perEntry + name.length();
        }
        int room = InvokePolicy.MAX_CHARS - length - perEntry;
        List<CallableFunction> exact = new ArrayList<>(fill);
        exact.add(new CallableFunction(null, "z".repeat(room)));
        assertThat(InvokePolicy.forDbFunction("cn-shanghai", "42", null, "db", exact)).hasSize(InvokePolicy.MAX_CHARS);

        List<CallableFunction> over = new ArrayList<>(fill);
        over.add(new CallableFunction(null, "z".repeat(room + 1)));
        assertThatThrownBy(() -> InvokePolicy.forDbFunction("cn-shanghai", "42", null, "db", over))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid function configuration: CALLABLE_FUNCTIONS: with its " + over.size()
                        + " functions the users' inline policy would be 2049 characters, over the 2048 STS's"
                        + " AssumeRole takes; make fewer functions callable (or give them shorter names)");
    }

    @Test
    void twelveFc2AppFunctionsWithElevenCharacterNamesFitAndAThirteenthIsRefusedNamingNone() {
        List<CallableFunction> callables = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            String name = String.format("secret%02dxxx", i);
            callables.add(new CallableFunction("fc-miniapp-" + name, name));
        }
        assertThat(InvokePolicy.forDbFunction("cn-hangzhou", "1234567890123456", "fc-miniapp", "db",
                callables.subList(0, 12)).length()).isBetween(InvokePolicy.MAX_CHARS - 152, InvokePolicy.MAX_CHARS);

        assertThatThrownBy(() -> InvokePolicy.forDbFunction("cn-hangzhou", "1234567890123456", "fc-miniapp", "db",
                callables)).isInstanceOf(ConfigException.class).hasMessageContaining("with its 13 functions")
                .hasMessageNotContaining("secret");
    }
}
