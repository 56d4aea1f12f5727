package com.fcminiapp.examples.checkin;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The layout both functions share: table {@code checkin} (declared in APP_TABLES), one row per user with id
 * {@code total} holding {@code points} and {@code lastDay}, the calendar day of the last check-in in Asia/Shanghai.
 */
final class CheckinTable {

    static final String NAME = "checkin";
    static final String ROW_ID = "total";
    static final String POINTS = "points";
    static final String LAST_DAY = "lastDay";
    /** What one day's first check-in is worth. */
    static final long POINTS_PER_CHECKIN = 10;
    /** The users' calendar: a day starts at midnight in China (UTC+8, no daylight saving). */
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private CheckinTable() {
    }

    /** Today in {@link #ZONE} as {@code yyyy-MM-dd}, the form {@code lastDay} is stored in. */
    static String today(Clock clock) {
        return LocalDate.ofInstant(clock.instant(), ZONE).toString();
    }
}
