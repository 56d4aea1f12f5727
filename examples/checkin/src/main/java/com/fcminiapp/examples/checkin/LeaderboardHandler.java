package com.fcminiapp.examples.checkin;

import com.fcminiapp.kit.AppHandler;

import java.time.Clock;
import java.util.Map;

/**
 * FC entry of the {@code leaderboard} function ({@link LeaderboardFunction}): handler
 * {@code com.fcminiapp.examples.checkin.LeaderboardHandler::handleRequest}, initializer {@code ::initialize}, PreStop
 * {@code ::preStop}.
 */
public class LeaderboardHandler extends AppHandler {

    /** Production: FC's environment. */
    public LeaderboardHandler() {
        super(LeaderboardFunction::new);
    }

    /** local-cloud and tests: the function's own environment. */
    public LeaderboardHandler(Map<String, String> env) {
        super(env, LeaderboardFunction::new);
    }

    /** Tests: the clock the sessions' expiry is checked against. */
    LeaderboardHandler(Map<String, String> env, Clock clock) {
        super(env, clock, LeaderboardFunction::new);
    }
}
