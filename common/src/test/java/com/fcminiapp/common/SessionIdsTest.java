package com.fcminiapp.common;

import com.fcminiapp.common.session.SessionIds;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SessionIdsTest {

    @Test
    void newIdsAre43UrlSafeCharactersOf256RandomBits() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = SessionIds.newId();
            assertThat(id).hasSize(43).matches("[A-Za-z0-9_-]{43}");
            assertThat(SessionIds.isWellFormed(id)).isTrue();
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    void hashIsLowercaseSha256Hex() {
        // SHA-256("abc")
        assertThat(SessionIds.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void malformedIdsAreNotWellFormed() {
        assertThat(SessionIds.isWellFormed(null)).isFalse();
        assertThat(SessionIds.isWellFormed("")).isFalse();
        assertThat(SessionIds.isWellFormed("a".repeat(42))).isFalse();
        assertThat(SessionIds.isWellFormed("a".repeat(44))).isFalse();
        assertThat(SessionIds.isWellFormed("a".repeat(42) + "=")).isFalse();
        assertThat(SessionIds.isWellFormed("a".repeat(42) + "/")).isFalse();
    }
}
