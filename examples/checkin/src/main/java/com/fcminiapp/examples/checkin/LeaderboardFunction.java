package com.fcminiapp.examples.checkin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.kit.AppFunction;
import com.fcminiapp.kit.Caller;
import com.fcminiapp.kit.Kit;
import com.fcminiapp.kit.Page;
import com.fcminiapp.kit.Table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The leaderboard: {@code {"top": [{"userId", "points"}, …]}}, the ten users with the most points, most first, ties
 * broken by userId (ascending); a user who never checked in is not on it. The input is ignored.
 *
 * <p>It reads every user's row ({@link Table#scan}, page by page) on every call and keeps the best ten: fine for an
 * example, linear in the number of users. Issue 19's search-index queries (a {@code query} ordered by points with a
 * limit) replace the scan.
 */
public final class LeaderboardFunction implements AppFunction {

    static final int SIZE = 10;
    /** Rows per scan page: the most one request may ask for. */
    static final int PAGE = 100;

    /** Best first: more points, then the smaller userId. */
    static final Comparator<Entry> RANKING = Comparator.comparingLong(Entry::points).reversed()
            .thenComparing(Entry::userId);

    private final Table table;
    private final int pageSize;

    public LeaderboardFunction(Kit kit) {
        this(kit, PAGE);
    }

    /** Tests: smaller pages, so a few users span several. */
    LeaderboardFunction(Kit kit, int pageSize) {
        this.table = kit.table(CheckinTable.NAME);
        this.pageSize = pageSize;
    }

    @Override
    public Object handle(Caller caller, JsonNode input) {
        // the worst of the best ten at the head, so each better row replaces it
        PriorityQueue<Entry> best = new PriorityQueue<>(SIZE + 1, RANKING.reversed());
        String next = null;
        do {
            Page page = table.scan(pageSize, next);
            for (ObjectNode row : page.items()) {
                if (CheckinTable.ROW_ID.equals(row.path("id").asText())) {
                    best.add(new Entry(row.path("_owner").asText(), row.path(CheckinTable.POINTS).asLong()));
                    if (best.size() > SIZE) {
                        best.poll();
                    }
                }
            }
            next = page.next();
        } while (next != null);
        List<Entry> top = new ArrayList<>(best);
        top.sort(RANKING);
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        top.forEach(e -> list.addObject().put("userId", e.userId()).put("points", e.points()));
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.set("top", list);
        return answer;
    }

    /** One user's place: the uid (the login answer's userId) and the points. */
    static final class Entry {
        private final String userId;
        private final long points;

        Entry(String userId, long points) {
            this.userId = userId;
            this.points = points;
        }

        String userId() {
            return userId;
        }

        long points() {
            return points;
        }
    }
}
