package com.fcminiapp.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.config.ConfigException;
import com.fcminiapp.kit.testing.KitTestCloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kit's variables and the team's fail the initializer together, each named, no value shown. */
class KitConfigTest {

    static final KitTestCloud cloud = KitTestCloud.start("checkins", "points");

    @AfterAll
    static void stop() {
        cloud.close();
    }

    /** A function reading two variables of its own and naming two tables. */
    static AppFunction reading(Kit kit) {
        String apiKey = kit.variables().required("PARTNER_API_KEY");
        long limit = kit.variables().integer("DAILY_LIMIT", 3, 1, 10);
        String greeting = kit.variables().optional("GREETING", "hello");
        Table checkins = kit.table("checkins");
        return (caller, input) -> Map.of("key", apiKey.length(), "limit", limit, "greeting", greeting,
                "table", checkins.name());
    }

    @Test
    void badKitVariablesAndBadTeamVariablesAreNamedTogetherInOneFailureWithoutTheirValues() {
        Map<String, String> env = cloud.env();
        env.put("TABLESTORE_INSTANCE", "hunter2!");
        env.put("UPLOAD_MAX_BYTES", "lots-secret1");
        env.put("APP_TABLES", "checkins,bad table");
        env.put("DAILY_LIMIT", "many-secret2");
        TestHandler handler = TestHandler.of(env, cloud.clock(), KitConfigTest::reading);

        assertThatThrownBy(() -> handler.initialize(cloud.context()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(5))
                .hasMessageContainingAll("TABLESTORE_INSTANCE", "UPLOAD_MAX_BYTES", "APP_TABLES", "PARTNER_API_KEY",
                        "DAILY_LIMIT")
                .hasMessageNotContainingAny("hunter2", "secret1", "secret2", "bad table");
    }

    @Test
    void withGoodKitVariablesTheTeamsProblemsAndAnUndeclaredTableStillFailTheStartTogether() {
        Map<String, String> env = cloud.env();
        env.put("DAILY_LIMIT", "11");
        env.put("OSS_BUCKET_NAME", "x");
        TestHandler handler = TestHandler.of(env, cloud.clock(), kit -> {
            kit.table("leaderboard");
            kit.variables().required("OSS_BUCKET");
            return reading(kit);
        });

        assertThatThrownBy(() -> handler.initialize(cloud.context()))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "table \"leaderboard\" is not declared in APP_TABLES (checkins, points)",
                        "OSS_BUCKET is a variable of the function kit; give the function's own variable another name",
                        "PARTNER_API_KEY is missing (expected a value)",
                        "DAILY_LIMIT must be a whole number from 1 to 10"));
    }

    @Test
    void aGoodEnvironmentHandsTheTeamItsValuesAndDefaults() {
        Map<String, String> env = cloud.env();
        env.put("PARTNER_API_KEY", "  k-123  ");
        env.put("DAILY_LIMIT", "10");

        JsonNode answer = cloud.invoke(TestHandler.of(env, cloud.clock(), KitConfigTest::reading),
                cloud.event(cloud.login("cfg"), null));

        assertThat(answer.at("/data/key").asInt()).isEqualTo(5);
        assertThat(answer.at("/data/limit").asLong()).isEqualTo(10);
        assertThat(answer.at("/data/greeting").asText()).isEqualTo("hello");
        assertThat(answer.at("/data/table").asText()).isEqualTo("checkins");
    }

    @Test
    void aRequestToAMisconfiguredFunctionIsInternalWithoutDetailAndTheLogNamesTheVariables() {
        Map<String, String> env = cloud.env();
        env.put("TABLESTORE_ENDPOINT", "not a url secret3");
        AtomicInteger ran = new AtomicInteger();
        TestHandler handler = TestHandler.of(env, cloud.clock(), (caller, input) -> ran.incrementAndGet());
        int logged = cloud.logLines().size();

        JsonNode answer = cloud.request(handler, cloud.event(cloud.login("mis"), null));

        assertThat(answer.at("/error/code").asText()).isEqualTo("INTERNAL");
        assertThat(answer.toString()).doesNotContain("TABLESTORE", "secret3");
        assertThat(cloud.logLines().subList(logged, cloud.logLines().size()))
                .anySatisfy(l -> assertThat(l).contains("TABLESTORE_ENDPOINT is not an http(s) URL"))
                .noneSatisfy(l -> assertThat(l).contains("secret3"));
        assertThat(ran).hasValue(0);
    }

    @Test
    void aTableOrVariableProblemMetAfterStartFailsThatRequestAsInternal() {
        Map<String, String> env = cloud.env();
        env.put("PER_CALL", "x");
        TestHandler handler = TestHandler.of(env, cloud.clock(), kit -> (caller, input) -> {
            if (input != null && input.asText().equals("table")) {
                return kit.table("undeclared").name();
            }
            return kit.variables().integer("PER_CALL", 1, 1, 5);
        });
        String sid = cloud.login("late");
        int logged = cloud.logLines().size();

        JsonNode table = cloud.invoke(handler, cloud.event(sid, "\"table\""));
        JsonNode variable = cloud.invoke(handler, cloud.event(sid, "\"var\""));

        assertThat(table.at("/error/code").asText()).isEqualTo("INTERNAL");
        assertThat(variable.at("/error/code").asText()).isEqualTo("INTERNAL");
        assertThat(cloud.logLines().subList(logged, cloud.logLines().size()))
                .anySatisfy(l -> assertThat(l).contains("table \"undeclared\" is not declared in APP_TABLES"))
                .anySatisfy(l -> assertThat(l).contains("PER_CALL must be a whole number from 1 to 5"));
    }
}
