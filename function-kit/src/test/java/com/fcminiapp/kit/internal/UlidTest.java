package com.fcminiapp.kit.internal;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** add's ids: the time in the first 10 characters, ids of one millisecond in the order made, later ones above. */
class UlidTest {

    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private static long time(String id) {
        long millis = 0;
        for (int i = 0; i < 10; i++) {
            millis = millis * 32 + ALPHABET.indexOf(id.charAt(i));
        }
        return millis;
    }

    @Test
    void theFirstTenCharactersHoldTheMillisecondsAndTheRestIsCrockfordBase32() {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(1_796_000_000_123L), ZoneOffset.UTC);
        String id = new Ulid(clock).next();
        assertThat(id).hasSize(Ulid.LENGTH).matches("[0-9A-HJKMNP-TV-Z]{26}");
        assertThat(time(id)).isEqualTo(1_796_000_000_123L);
        assertThat(time(new Ulid(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)).next())).isZero();
    }

    @Test
    void idsOfOneMillisecondFollowTheOrderTheyWereMadeEvenAcrossACarry() {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(5), ZoneOffset.UTC);
        // a generator whose random part starts one below a carry of the low 64 bits
        SecureRandom random = new SecureRandom() {
            @Override
            public int nextInt() {
                return 7;
            }

            @Override
            public long nextLong() {
                return -2L;
            }
        };
        Ulid ulid = new Ulid(clock, random);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(ulid.next());
        }
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(ids).allMatch(id -> time(id) == 5);
    }
}
