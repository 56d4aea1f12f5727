package com.fcminiapp.examples.checkin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.kit.AppErrors;
import com.fcminiapp.kit.AppFunction;
import com.fcminiapp.kit.Caller;
import com.fcminiapp.kit.Expect;
import com.fcminiapp.kit.Kit;
import com.fcminiapp.kit.Rows;
import com.fcminiapp.kit.Table;

import java.time.Clock;

/**
 * The daily check-in: the caller's first call of a calendar day in Asia/Shanghai adds 10 points; any other call that
 * day changes nothing. Answers {@code {"checkedIn": true|false, "points": <total>}}. The input is ignored entirely:
 * who checks in comes from the session, and the points from the stored row.
 */
public final class CheckinFunction implements AppFunction {

    /**
     * A write loses only to another check-in of the same user, and the re-read after the loss finds it: the same
     * day's (answered false) unless midnight passed in between, when the next write may win. Losing three times
     * means something else keeps writing the row, so the caller is told to retry rather than kept waiting.
     */
    static final int ATTEMPTS = 3;

    private final Table table;
    private final Clock clock;

    public CheckinFunction(Kit kit) {
        this.table = kit.table(CheckinTable.NAME);
        this.clock = kit.clock();
    }

    @Override
    public Object handle(Caller caller, JsonNode input) {
        Rows rows = table.rowsOf(caller);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ObjectNode stored = rows.get(CheckinTable.ROW_ID);
            String today = CheckinTable.today(clock);
            long points = stored == null ? 0 : stored.path(CheckinTable.POINTS).asLong();
            if (stored != null && today.equals(stored.path(CheckinTable.LAST_DAY).asText())) {
                return answer(false, points);
            }
            long total = points + CheckinTable.POINTS_PER_CHECKIN;
            if (write(rows, stored, total, today)) {
                return answer(true, total);
            }
        }
        throw AppErrors.conflict("The check-in raced with other changes of your points; try again.");
    }

    /**
     * Writes the new total only if the row is still what was read (absent, or at the read {@code _version}); false
     * when another write came first (CONFLICT), or the row went away in between (NOT_FOUND: the account was deleted).
     */
    private static boolean write(Rows rows, ObjectNode stored, long total, String today) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        row.put("id", CheckinTable.ROW_ID);
        row.put(CheckinTable.POINTS, total);
        row.put(CheckinTable.LAST_DAY, today);
        try {
            if (stored == null) {
                rows.put(row, Expect.ABSENT, null);
            } else {
                rows.put(row, Expect.PRESENT, stored.path("_version").asLong());
            }
            return true;
        } catch (ApiException e) {
            if (e.code() == ErrorCode.CONFLICT || e.code() == ErrorCode.NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static ObjectNode answer(boolean checkedIn, long points) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("checkedIn", checkedIn);
        answer.put("points", points);
        return answer;
    }
}
