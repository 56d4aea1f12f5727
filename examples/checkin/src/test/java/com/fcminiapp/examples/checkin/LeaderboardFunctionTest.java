package com.fcminiapp.examples.checkin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.kit.AppHandler;
import com.fcminiapp.kit.testing.KitTestCloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leaderboard over twelve users who checked in on one to six days: the best ten, most points first, equal points
 * in userId order, the cut falling inside a tie; users who never checked in are absent.
 */
class LeaderboardFunctionTest {

    static final KitTestCloud cloud = KitTestCloud.start(CheckinTable.NAME);
    /** Days each user checked in: 10 points a day. */
    static final Map<String, Integer> DAYS = new LinkedHashMap<>();
    static final Instant FIRST_DAY = Instant.parse("2026-12-01T04:00:00Z");
    static CheckinHandler checkin;
    static LeaderboardHandler leaderboard;
    static PagedLeaderboardHandler paged;
    static JsonNode beforeAnyCheckin;

    static {
        int[] days = {6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 1};
        for (int i = 0; i < days.length; i++) {
            DAYS.put("player" + (char) ('a' + i), days[i]);
        }
    }

    @BeforeAll
    static void checkInOnSeveralDays() {
        checkin = new CheckinHandler(cloud.env(), cloud.clock());
        leaderboard = new LeaderboardHandler(cloud.env(), cloud.clock());
        paged = new PagedLeaderboardHandler(cloud.env(), cloud.clock());
        cloud.clock().set(FIRST_DAY);
        beforeAnyCheckin = top(leaderboard, cloud.login("early"));
        Map<String, String> sids = new LinkedHashMap<>();
        DAYS.keySet().forEach(user -> sids.put(user, cloud.login(user)));
        for (int day = 0; day < 6; day++) {
            cloud.clock().set(FIRST_DAY.plus(Duration.ofDays(day)));
            for (Map.Entry<String, Integer> user : DAYS.entrySet()) {
                if (user.getValue() > day) {
                    JsonNode answer = cloud.invoke(checkin, cloud.event(sids.get(user.getKey()), "{}"));
                    assertThat(answer.path("data").path("checkedIn").asBoolean()).as("%s", answer).isTrue();
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        cloud.preStop(checkin);
        cloud.preStop(leaderboard);
        cloud.preStop(paged);
        cloud.close();
    }

    @Test
    void theTenBestComeMostPointsFirstWithEqualPointsInUserIdOrder() {
        List<String> expected = DAYS.entrySet().stream()
                .map(e -> cloud.uid(e.getKey()) + "=" + 10 * e.getValue())
                .sorted(Comparator.comparing((String e) -> -Long.parseLong(e.substring(e.indexOf('=') + 1)))
                        .thenComparing(e -> e.substring(0, e.indexOf('='))))
                .limit(10).collect(Collectors.toList());
        List<String> top = entries(top(leaderboard, cloud.login("viewer")));
        assertThat(top).containsExactlyElementsOf(expected);
        assertThat(top.get(0)).isEqualTo(cloud.uid("playera") + "=60");
        assertThat(top.subList(1, 3)).containsExactlyInAnyOrder(cloud.uid("playerb") + "=50",
                cloud.uid("playerc") + "=50");
    }

    @Test
    void theCutFallsInsideTheLastTieAndKeepsTheSmallestUserId() {
        List<String> tied = List.of(cloud.uid("playerj"), cloud.uid("playerk"), cloud.uid("playerl"));
        String kept = tied.stream().min(Comparator.naturalOrder()).orElseThrow();
        List<String> top = entries(top(leaderboard, cloud.login("viewer")));
        assertThat(top).hasSize(10).endsWith(kept + "=10");
        assertThat(top.stream().filter(e -> tied.contains(e.substring(0, e.indexOf('='))))).hasSize(1);
    }

    @Test
    void usersWhoNeverCheckedInAreAbsentAndAnEmptyTableGivesAnEmptyList() {
        assertThat(beforeAnyCheckin.size()).isZero();
        assertThat(beforeAnyCheckin.isArray()).isTrue();
        String viewer = cloud.uid("viewer");
        List<String> top = entries(top(leaderboard, cloud.login("viewer")));
        assertThat(top).noneMatch(e -> e.startsWith(viewer + "="));
    }

    @Test
    void readingTheTableInPagesGivesTheSameBoard() {
        String sid = cloud.login("pager");
        assertThat(DAYS.size()).isGreaterThan(2 * PagedLeaderboardHandler.PAGE);
        assertThat(top(paged, sid)).isEqualTo(top(leaderboard, sid));
    }

    @Test
    void theInputChangesNothing() {
        String sid = cloud.login("viewer");
        String input = "{\"limit\": 1, \"uid\": \"" + cloud.uid("playerl") + "\", \"top\": []}";
        JsonNode answer = cloud.invoke(leaderboard, cloud.event(sid, input));
        assertThat(answer.path("data").path("top")).isEqualTo(top(leaderboard, sid));
    }

    /** The answer's {@code top}, failing on an error answer. */
    static JsonNode top(AppHandler handler, String sid) {
        JsonNode answer = cloud.invoke(handler, cloud.event(sid, null));
        assertThat(answer.path("data").path("top").isArray()).as("%s", answer).isTrue();
        return answer.path("data").path("top");
    }

    /** Each entry as {@code userId=points}, checking it has exactly those two fields. */
    static List<String> entries(JsonNode top) {
        List<String> out = new ArrayList<>();
        top.forEach(e -> {
            assertThat(e.size()).as("%s", e).isEqualTo(2);
            out.add(e.path("userId").asText() + "=" + e.path("points").asLong());
        });
        return out;
    }
}
