package com.fcminiapp.examples.guestbook;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * post-notice on the stand-ins with the example's declaration: only ADMIN_UIDS post, every user reads the notice
 * through the db function, and no user writes notices through the db function (server-write).
 */
class PostNoticeFunctionTest {

    static final GuestbookCloud gb = new GuestbookCloud(PostNoticeFunction.TABLE);
    static PostNoticeHandler handler;

    @BeforeAll
    static void start() {
        Map<String, String> env = gb.env();
        env.put(PostNoticeFunction.ADMINS, gb.cloud.uid("admin") + ", " + gb.cloud.uid("second-admin"));
        handler = new PostNoticeHandler(env);
        gb.cloud.initialize(handler);
    }

    @AfterAll
    static void stop() {
        gb.cloud.preStop(handler);
        gb.close();
    }

    static JsonNode post(String user, String input) {
        return gb.cloud.invoke(handler, gb.cloud.event(gb.cloud.login(user), input));
    }

    static JsonNode get(String user, String id) {
        return gb.db("{\"sid\": \"" + gb.cloud.login(user) + "\", \"op\": \"get\", \"table\": \"notices\", \"id\": \""
                + id + "\"}");
    }

    @Test
    void anAdminsNoticeIsReadByEveryUserWithTheAdminAsOwner() {
        JsonNode added = post("admin", "{\"text\": \"the fair opens at nine\"}");

        String id = added.at("/data/id").asText();
        assertThat(id).hasSize(26);
        assertThat(added.at("/data/_version").asLong()).isEqualTo(1);
        for (String reader : new String[] {"admin", "visitor", "someone"}) {
            JsonNode row = get(reader, id);
            assertThat(row.at("/data/text").asText()).as(reader).isEqualTo("the fair opens at nine");
            assertThat(row.at("/data/_owner").asText()).as(reader).isEqualTo(gb.cloud.uid("admin"));
        }
    }

    @Test
    void everyUidOfTheListMayPostTheSpacesAroundItNotwithstanding() {
        JsonNode added = post("second-admin", "{\"text\": \"second\"}");

        assertThat(get("visitor", added.at("/data/id").asText()).at("/data/_owner").asText())
                .isEqualTo(gb.cloud.uid("second-admin"));
    }

    @Test
    void aUserNotInAdminUidsIsDeniedAndNothingIsWritten() {
        JsonNode denied = post("visitor", "{\"text\": \"free beer\"}");

        assertThat(denied.at("/error/code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(denied.at("/error/message").asText()).contains("ADMIN_UIDS");
        assertThat(denied.has("data")).isFalse();
    }

    @Test
    void aForgedOwnerOrUidInTheInputChangesNothing() {
        JsonNode added = post("admin", "{\"text\": \"hello\", \"_owner\": \"" + gb.cloud.uid("visitor")
                + "\", \"uid\": \"" + gb.cloud.uid("visitor") + "\"}");

        JsonNode row = get("visitor", added.at("/data/id").asText()).get("data");
        assertThat(row.path("_owner").asText()).isEqualTo(gb.cloud.uid("admin"));
        assertThat(row.has("uid")).isFalse();
    }

    @Test
    void aMissingEmptyOrTooLongTextIsInvalid() {
        for (String input : new String[] {"null", "{}", "{\"text\": \"  \"}", "{\"text\": 7}",
                "{\"text\": \"" + "x".repeat(PostNoticeFunction.MAX_TEXT + 1) + "\"}"}) {
            assertThat(post("admin", input).at("/error/code").asText()).as(input).isEqualTo("INVALID_ARGUMENT");
        }
        assertThat(post("admin", "{\"text\": \"" + "x".repeat(PostNoticeFunction.MAX_TEXT) + "\"}").has("data"))
                .as("exactly the limit").isTrue();
    }

    @Test
    void noUserWritesNoticesThroughTheDbFunction() {
        String id = post("admin", "{\"text\": \"kept\"}").at("/data/id").asText();
        String sid = gb.cloud.login("admin");
        for (String op : new String[] {
                "\"op\": \"add\", \"obj\": {\"text\": \"x\"}",
                "\"op\": \"put\", \"obj\": {\"id\": \"n1\", \"text\": \"x\"}",
                "\"op\": \"update\", \"id\": \"" + id + "\", \"set\": {\"text\": \"changed\"}",
                "\"op\": \"remove\", \"id\": \"" + id + "\""}) {
            JsonNode answer = gb.db("{\"sid\": \"" + sid + "\", \"table\": \"notices\", " + op + "}");
            assertThat(answer.at("/error/code").asText()).as(op).isEqualTo("PERMISSION_DENIED");
        }
        assertThat(get("visitor", id).at("/data/text").asText()).isEqualTo("kept");
    }
}
