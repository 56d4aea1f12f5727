package com.fcminiapp.examples.guestbook;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * secret on the stand-ins with the example's declaration: each user stores, reads and removes only their own row of
 * the server-only table, which the db function refuses to every user for every op.
 */
class SecretFunctionTest {

    static final GuestbookCloud gb = new GuestbookCloud(SecretFunction.TABLE);
    static SecretHandler handler;

    @BeforeAll
    static void start() {
        handler = new SecretHandler(gb.env());
        gb.cloud.initialize(handler);
    }

    @AfterAll
    static void stop() {
        gb.cloud.preStop(handler);
        gb.close();
    }

    static JsonNode secret(String user, String input) {
        return gb.cloud.invoke(handler, gb.cloud.event(gb.cloud.login(user), input));
    }

    @Test
    void aStoredSecretIsReadBackByItsOwnerOnlyAndRemovedWithNull() {
        assertThat(secret("alice", "{\"secret\": \"the cake is in the oven\"}").at("/data/secret").asText())
                .isEqualTo("the cake is in the oven");
        assertThat(secret("alice", "{}").at("/data/secret").asText()).isEqualTo("the cake is in the oven");
        assertThat(secret("alice", "null").at("/data/secret").asText()).isEqualTo("the cake is in the oven");
        assertThat(secret("bob", "{}").at("/data/secret").isNull()).as("bob has none").isTrue();

        assertThat(secret("alice", "{\"secret\": null}").at("/data/secret").isNull()).isTrue();
        assertThat(secret("alice", "{}").at("/data/secret").isNull()).isTrue();
    }

    @Test
    void theInputCannotNameAnotherUsersRow() {
        secret("carol", "{\"secret\": \"carol's\"}");

        JsonNode answer = secret("mallory", "{\"id\": \"" + gb.cloud.uid("carol") + "\", \"uid\": \""
                + gb.cloud.uid("carol") + "\"}");

        assertThat(answer.at("/data/secret").isNull()).isTrue();
        assertThat(secret("carol", "{}").at("/data/secret").asText()).isEqualTo("carol's");
    }

    @Test
    void aSecretThatIsNoStringOrTooLongIsInvalidAndKeepsTheStoredOne() {
        secret("dave", "{\"secret\": \"dave's\"}");
        for (String input : new String[] {"{\"secret\": 42}", "{\"secret\": {\"a\": 1}}",
                "{\"secret\": \"" + "x".repeat(SecretFunction.MAX_SECRET + 1) + "\"}"}) {
            assertThat(secret("dave", input).at("/error/code").asText()).as(input).isEqualTo("INVALID_ARGUMENT");
        }
        assertThat(secret("dave", "{}").at("/data/secret").asText()).isEqualTo("dave's");
        assertThat(secret("dave", "{\"secret\": \"" + "x".repeat(SecretFunction.MAX_SECRET) + "\"}").has("data"))
                .as("exactly the limit").isTrue();
    }

    @Test
    void theDbFunctionRefusesEveryOpOnSecretsToEveryUser() {
        secret("erin", "{\"secret\": \"erin's\"}");
        String id = gb.cloud.uid("erin");
        for (String user : new String[] {"erin", "frank"}) {
            String sid = gb.cloud.login(user);
            for (String op : new String[] {
                    "\"op\": \"get\", \"id\": \"" + id + "\"",
                    "\"op\": \"list\"",
                    "\"op\": \"query\"",
                    "\"op\": \"count\"",
                    "\"op\": \"add\", \"obj\": {\"secret\": \"x\"}",
                    "\"op\": \"put\", \"obj\": {\"id\": \"" + id + "\", \"secret\": \"x\"}",
                    "\"op\": \"update\", \"id\": \"" + id + "\", \"set\": {\"secret\": \"x\"}",
                    "\"op\": \"remove\", \"id\": \"" + id + "\""}) {
                JsonNode answer = gb.db("{\"sid\": \"" + sid + "\", \"table\": \"secrets\", " + op + "}");
                assertThat(answer.at("/error/code").asText()).as(user + " " + op).isEqualTo("PERMISSION_DENIED");
            }
        }
        assertThat(secret("erin", "{}").at("/data/secret").asText()).isEqualTo("erin's");
    }
}
