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

    public Mode mode() {
        return mode;
    }

    public Duration stallDuration() {
        return stall;
    }

    public void fail() {
        mode = Mode.FAIL;
    }

    /** Holds every request for {@code duration}, then answers it as a failure. */
    public void stall(Duration duration) {
        stall = duration;
        mode = Mode.STALL;
    }

    public void set(Mode newMode) {
        mode = newMode;
    }

    public void clear() {
        mode = Mode.NONE;
    }
}
