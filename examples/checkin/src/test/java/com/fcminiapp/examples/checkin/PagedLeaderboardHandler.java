package com.fcminiapp.examples.checkin;

import com.fcminiapp.kit.AppHandler;

import java.time.Clock;
import java.util.Map;

/** The leaderboard reading the table five rows per page, so twelve users take three pages. */
class PagedLeaderboardHandler extends AppHandler {

    static final int PAGE = 5;

    PagedLeaderboardHandler(Map<String, String> env, Clock clock) {
        super(env, clock, kit -> new LeaderboardFunction(kit, PAGE));
    }
}
