package com.fcminiapp.kit.internal;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * The ids {@code add} makes: ULIDs, 26 characters of Crockford base32 holding 48 bits of epoch milliseconds then 80
 * random bits, so ids sort (as strings, as Tablestore orders them) by creation time. Within one millisecond of one
 * instance the random part is incremented instead of drawn again (monotonic ULIDs), so ids made in a row also sort
 * in the order they were made, however coarse the clock; across instances the 80 random bits keep them unique.
 */
public final class Ulid {

    /** Length of an id. */
    public static final int LENGTH = 26;
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final long MAX_TIME = (1L << 48) - 1;

    private final Clock clock;
    private final SecureRandom random;
    private long lastMillis = -1;
    /** The 80 random bits of the last id: the high 16 and the low 64. */
    private int high;
    private long low;

    public Ulid(Clock clock) {
        this(clock, new SecureRandom());
    }

    Ulid(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** A new id, greater than every id this instance made before at the same or an earlier clock reading. */
    public synchronized String next() {
        long millis = Math.max(0, Math.min(MAX_TIME, clock.millis()));
        if (millis > lastMillis) {
            lastMillis = millis;
            high = random.nextInt() & 0xffff;
            low = random.nextLong();
        } else if (++low == 0 && ++high > 0xffff) {
            // 2^80 ids in one millisecond: move on to the next one rather than wrap around
            lastMillis++;
            high = random.nextInt() & 0x7fff;
        }
        return encode(lastMillis, high, low);
    }

    private static String encode(long millis, int high, long low) {
        char[] out = new char[LENGTH];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        // the 80 random bits, 5 at a time from the lowest: 12 characters of the low 64 bits and 4 more of the rest
        long lo = low;
        long hi = high & 0xffffL;
        for (int i = LENGTH - 1; i >= 10; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo = (lo >>> 5) | ((hi & 31) << 59);
            hi >>>= 5;
        }
        return new String(out);
    }
}
