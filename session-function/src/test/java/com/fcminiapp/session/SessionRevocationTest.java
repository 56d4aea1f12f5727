package com.fcminiapp.session;

import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.common.session.SessionIds;
import com.fcminiapp.common.session.SessionRecord;
import com.fcminiapp.common.session.SessionResolver;
import com.fcminiapp.common.session.TablestoreSessionStore;
import com.fcminiapp.common.tablestore.TableProvisioner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A revoked session (its account is being deleted) through the real Tablestore SDK and the stand-in. */
class SessionRevocationTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private SessionCloud cloud;
    private TablestoreSessionStore store;
    private SessionResolver resolver;

    @BeforeEach
    void start() {
        cloud = new SessionCloud();
        TablestoreSessionStore.ensureTable(new TableProvisioner(cloud.admin()), SessionCloud.SESSION_TABLE,
                Duration.ofDays(7));
        store = cloud.sessions();
        resolver = new SessionResolver(store, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    private String live(String uid) {
        String sid = SessionIds.newId();
        store.create(new SessionRecord(SessionIds.hash(sid), uid, NOW, NOW.plus(Duration.ofDays(7))));
        return sid;
    }

    @Test
    void aRevokedSessionIsUnauthenticatedForEveryUseButADeletionsRetry() {
        String sid = live("2088000000000001");
        assertThat(resolver.require(sid).revoked()).isFalse();

        store.revoke(SessionIds.hash(sid), NOW);

        assertThatThrownBy(() -> resolver.require(sid)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
        SessionRecord forDeletion = resolver.requireForDeletion(sid);
        assertThat(forDeletion.uid()).isEqualTo("2088000000000001");
        assertThat(forDeletion.revokedAt()).contains(NOW);
    }

    @Test
    void aSecondRevokeKeepsTheFirstTime() {
        String sid = live("2088000000000002");

        store.revoke(SessionIds.hash(sid), NOW);
        store.revoke(SessionIds.hash(sid), NOW.plusSeconds(60));

        assertThat(store.find(SessionIds.hash(sid)).orElseThrow().revokedAt()).contains(NOW);
    }

    @Test
    void revokingAMissingSessionCreatesNoRow() {
        store.revoke(SessionIds.hash(SessionIds.newId()), NOW);

        assertThat(cloud.sessionRows()).isEmpty();
    }

    @Test
    void anExpiredRevokedSessionIsRefusedEvenForADeletion() {
        String sid = live("2088000000000003");
        store.revoke(SessionIds.hash(sid), NOW);
        SessionResolver later = new SessionResolver(store, Clock.fixed(NOW.plus(Duration.ofDays(7)), ZoneOffset.UTC));

        assertThatThrownBy(() -> later.requireForDeletion(sid)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    }
}
