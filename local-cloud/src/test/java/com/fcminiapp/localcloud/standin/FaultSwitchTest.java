package com.fcminiapp.localcloud.standin;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A fault injected half way: so many requests served, so many failed, then served again; each request counted. */
class FaultSwitchTest {

    private static List<FaultSwitch.Mode> next(FaultSwitch faults, int requests) {
        List<FaultSwitch.Mode> modes = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            modes.add(faults.next());
        }
        return modes;
    }

    @Test
    void failAfterServesThenFailsThenServesAgain() {
        FaultSwitch faults = new FaultSwitch();
        faults.failAfter(2, 2);
        assertThat(next(faults, 5)).containsExactly(FaultSwitch.Mode.NONE, FaultSwitch.Mode.NONE,
                FaultSwitch.Mode.FAIL, FaultSwitch.Mode.FAIL, FaultSwitch.Mode.NONE);
        assertThat(faults.requests()).isEqualTo(5);
        assertThat(faults.mode()).isEqualTo(FaultSwitch.Mode.NONE);
    }

    @Test
    void aFaultForGoodLastsUntilCleared() {
        FaultSwitch faults = new FaultSwitch();
        faults.failAfter(0, Long.MAX_VALUE);
        assertThat(next(faults, 3)).containsOnly(FaultSwitch.Mode.FAIL);
        faults.clear();
        assertThat(next(faults, 2)).containsOnly(FaultSwitch.Mode.NONE);
    }

    @Test
    void aModeSetAfterwardsReplacesTheCountedFault() {
        FaultSwitch faults = new FaultSwitch();
        faults.failAfter(1, 1);
        faults.set(FaultSwitch.Mode.FAIL);
        assertThat(next(faults, 3)).containsOnly(FaultSwitch.Mode.FAIL);
    }
}
