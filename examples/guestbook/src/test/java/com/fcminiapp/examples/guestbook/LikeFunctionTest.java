package com.fcminiapp.examples.guestbook;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * like on the stand-ins with the example's declaration: any user likes any post of the creator-write guestbook, each
 * at most once (also when twenty like at once), the like is taken back with {@code like: false}, and what the
 * function wrote is what every user reads through the db function, which still refuses a user's own write of another
 * user's post.
 */
class LikeFunctionTest {

    static final GuestbookCloud gb = new GuestbookCloud(LikeFunction.TABLE);
    static final AtomicInteger posts = new AtomicInteger();
    static LikeHandler handler;

    @BeforeAll
    static void start() {
        handler = new LikeHandler(gb.env());
        gb.cloud.initialize(handler);
    }

    @AfterAll
    static void stop() {
        gb.cloud.preStop(handler);
        gb.close();
    }

    static JsonNode like(String user, String input) {
        return gb.cloud.invoke(handler, gb.cloud.event(gb.cloud.login(user), input));
    }

    static JsonNode like(String user, String id, boolean like) {
        return like(user, "{\"id\": \"" + id + "\", \"like\": " + like + "}").path("data");
    }

    /** A new post of {@code author}, added through the db function as the page adds it; its id. */
    static String post(String author) {
        JsonNode added = gb.db("{\"sid\": \"" + gb.cloud.login(author) + "\", \"op\": \"add\", \"table\": \"guestbook\", "
                + "\"obj\": {\"text\": \"post " + posts.incrementAndGet() + "\", \"likes\": 0}}");
        return added.at("/data/id").asText();
    }

    /** The post as {@code reader} reads it through the db function. */
    static JsonNode read(String reader, String id) {
        return gb.db("{\"sid\": \"" + gb.cloud.login(reader) + "\", \"op\": \"get\", \"table\": \"guestbook\", \"id\": \""
                + id + "\"}").path("data");
    }

    static List<String> likers(JsonNode post) {
        List<String> out = new ArrayList<>();
        post.path(LikeFunction.LIKED_BY).forEach(u -> out.add(u.asText()));
        return out;
    }

    @Test
    void twoOtherUsersAndTheAuthorEachLikeOnceAndEveryReaderSeesItThroughTheDbFunction() {
        String id = post("alice");

        assertThat(like("bob", id, true).path("likes").asLong()).isEqualTo(1);
        JsonNode after = like("carol", id, true);
        assertThat(after.path("likes").asLong()).isEqualTo(2);
        assertThat(likers(after)).containsExactly(gb.cloud.uid("bob"), gb.cloud.uid("carol"));
        assertThat(like("alice", id, true).path("likes").asLong()).as("the author too").isEqualTo(3);

        JsonNode stored = read("dave", id);
        assertThat(stored.path("likes").asLong()).isEqualTo(3);
        assertThat(likers(stored)).containsExactly(gb.cloud.uid("bob"), gb.cloud.uid("carol"), gb.cloud.uid("alice"));
        assertThat(stored.path("_owner").asText()).as("still alice's post").isEqualTo(gb.cloud.uid("alice"));
        assertThat(stored.path("text").asText()).isEqualTo(after.path("text").asText());
        assertThat(stored.path("_version").asLong()).isEqualTo(4);
    }

    @Test
    void aSecondLikeOfTheSameUserCountsOnceAndAnswersThePostUnchanged() {
        String id = post("alice");
        JsonNode first = like("bob", id, true);

        JsonNode second = like("bob", "{\"id\": \"" + id + "\"}").path("data");

        assertThat(second).isEqualTo(first);
        assertThat(second.path("likes").asLong()).isEqualTo(1);
        assertThat(second.path("_version").asLong()).isEqualTo(2);
        assertThat(likers(read("bob", id))).containsExactly(gb.cloud.uid("bob"));
    }

    @Test
    void twentyUsersLikingOnePostAtOnceGiveExactlyTwentyWithEachUidOnce() throws Exception {
        String id = post("alice");
        int users = 20;
        CountDownLatch ready = new CountDownLatch(users);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(users);
        List<String> expected = new ArrayList<>();
        try {
            List<Future<JsonNode>> answers = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                String user = "fan" + i;
                expected.add(gb.cloud.uid(user));
                String sid = gb.cloud.login(user);
                answers.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return gb.cloud.invoke(handler, gb.cloud.event(sid, "{\"id\": \"" + id + "\"}"));
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            for (Future<JsonNode> answer : answers) {
                JsonNode got = answer.get(60, TimeUnit.SECONDS);
                assertThat(got.has("data")).as("%s", got).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode stored = read("alice", id);
        assertThat(stored.path("likes").asLong()).isEqualTo(users);
        assertThat(likers(stored)).hasSize(users).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(stored.path("_version").asLong()).isEqualTo(1 + users);
    }

    @Test
    void likeFalseTakesTheLikeBackOnceAndAnUnlikedPostStaysUnchanged() {
        String id = post("alice");
        like("bob", id, true);
        like("carol", id, true);

        JsonNode back = like("bob", id, false);
        assertThat(back.path("likes").asLong()).isEqualTo(1);
        assertThat(likers(back)).containsExactly(gb.cloud.uid("carol"));

        JsonNode again = like("bob", id, false);
        assertThat(again).as("not liked any more: unchanged").isEqualTo(back);
        assertThat(like("erin", id, false).path("_version").asLong()).isEqualTo(back.path("_version").asLong());
        assertThat(read("alice", id).path("likes").asLong()).isEqualTo(1);
        assertThat(like("bob", id, true).path("likes").asLong()).as("liked anew").isEqualTo(2);
    }

    @Test
    void aMissingPostIsNotFoundAndNothingIsCreated() {
        for (boolean like : new boolean[] {true, false}) {
            JsonNode answer = like("bob", "{\"id\": \"no-such-post\", \"like\": " + like + "}");

            assertThat(answer.at("/error/code").asText()).as("like %s", like).isEqualTo("NOT_FOUND");
            assertThat(answer.has("data")).isFalse();
        }
        assertThat(read("bob", "no-such-post").isNull()).isTrue();
    }

    @Test
    void aBadIdOrLikeIsInvalidNamingTheFieldAndChangesNothing() {
        String id = post("alice");
        for (String input : new String[] {"null", "{}", "\"" + id + "\"", "{\"id\": 7}", "{\"id\": \"\"}",
                "{\"id\": null}", "{\"id\": [\"" + id + "\"]}", "{\"id\": \"a\\nb\"}",
                "{\"id\": \"" + "x".repeat(LikeFunction.MAX_ID + 1) + "\"}"}) {
            JsonNode answer = like("bob", input);
            assertThat(answer.at("/error/code").asText()).as(input).isEqualTo("INVALID_ARGUMENT");
            assertThat(answer.at("/error/message").asText()).as(input).contains("input.id");
        }
        for (String like : new String[] {"\"yes\"", "1", "{}"}) {
            JsonNode answer = like("bob", "{\"id\": \"" + id + "\", \"like\": " + like + "}");
            assertThat(answer.at("/error/code").asText()).as(like).isEqualTo("INVALID_ARGUMENT");
            assertThat(answer.at("/error/message").asText()).as(like).contains("input.like");
        }
        JsonNode stored = read("alice", id);
        assertThat(stored.path("likes").asLong()).isZero();
        assertThat(stored.has(LikeFunction.LIKED_BY)).isFalse();
        assertThat(like("bob", "{\"id\": \"" + "x".repeat(LikeFunction.MAX_ID) + "\"}").at("/error/code").asText())
                .as("exactly the limit: a valid id, no such post").isEqualTo("NOT_FOUND");
    }

    @Test
    void theDbFunctionStillRefusesAUsersOwnLikeOfAnotherUsersPost() {
        String id = post("alice");
        JsonNode answer = gb.db("{\"sid\": \"" + gb.cloud.login("bob") + "\", \"op\": \"update\", \"table\": "
                + "\"guestbook\", \"id\": \"" + id + "\", \"inc\": {\"likes\": 1}, \"push\": {\"likedBy\": [\"x\"]}}");

        assertThat(answer.at("/error/code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(like("bob", id, true).path("likes").asLong()).as("through the function it counts").isEqualTo(1);
    }
}
