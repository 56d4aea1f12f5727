package com.fcminiapp.localcloud.standin;

import java.time.Duration;
import java.util.Locale;

/** Makes one stand-in fail (HTTP 5xx in its service's error shape) or stall, for fault tests and demos. */
public final class FaultSwitch {

    /** What the stand-in does with the next requests. */
    public enum Mode { NONE, FAIL, STALL;
        public static Mode parse(String text) {
            return Mode.valueOf(text.trim().toUpperCase(Locale.ROOT));
        }
    }

    private volatile Mode mode = Mode.NONE;
    private volatile Duration stall = Duration.ofSeconds(60);
    /** Armed by {@link #failAfter}: requests still to serve before failing (-1: not armed), then failures left. */
    private long toServe = -1;
    private long toFail;
    private long requests;

    public Mode mode() {
        return mode;
    }

    public Duration stallDuration() {
        return stall;
    }

    public synchronized void fail() {
        set(Mode.FAIL);
    }

    /** Holds every request for {@code duration}, then answers it as a failure. */
    public synchronized void stall(Duration duration) {
        stall = duration;
        set(Mode.STALL);
    }

    public synchronized void set(Mode newMode) {
        toServe = -1;
        mode = newMode;
    }

    public synchronized void clear() {
        set(Mode.NONE);
    }

    /**
     * Serves the next {@code served} requests, then fails the {@code failing} after them ({@code Long.MAX_VALUE}:
     * every one until {@link #clear}), then serves again: a fault injected half way through a longer operation.
     */
    public synchronized void failAfter(long served, long failing) {
        mode = Mode.NONE;
        toServe = served;
        toFail = failing;
    }

    /** How many requests have reached this switch so far (how far into an operation a fault can be put). */
    public synchronized long requests() {
        return requests;
    }

    /** What to do with the request arriving now; counts it against {@link #failAfter}. */
    public synchronized Mode next() {
        requests++;
        if (mode != Mode.NONE || toServe < 0) {
            return mode;
        }
        if (toServe > 0) {
            toServe--;
            return Mode.NONE;
        }
        if (toFail > 0) {
            toFail--;
            return Mode.FAIL;
        }
        toServe = -1;
        return Mode.NONE;
    }
}
