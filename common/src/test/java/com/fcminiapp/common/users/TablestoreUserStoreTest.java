package com.fcminiapp.common.users;

import com.alicloud.openservices.tablestore.ClientConfiguration;
import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.DescribeTableRequest;
import com.alicloud.openservices.tablestore.model.DescribeTableResponse;
import com.alicloud.openservices.tablestore.model.NoRetryStrategy;
import com.alicloud.openservices.tablestore.model.PrimaryKeySchema;
import com.alicloud.openservices.tablestore.model.PrimaryKeyType;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.common.session.SessionIds;
import com.fcminiapp.common.tablestore.TableProvisioner;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.tablestore.TablestoreStandIn;
import org.assertj.core.groups.Tuple;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The users table through the real Tablestore SDK against local-cloud's stand-in, conditions included. */
class TablestoreUserStoreTest {

    private static final String INSTANCE = "fcminiapp";
    private static final String TABLE = "miniapp_users";
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    private final MVStore mv = new MVStore.Builder().open();
    private final CredentialRegistry registry = CredentialRegistry.inMemory();
    private TablestoreStandIn tablestore;
    private SyncClient client;
    private TablestoreUserStore users;

    @BeforeEach
    void start() {
        tablestore = new TablestoreStandIn(0, registry, INSTANCE, mv).start();
        CredentialRegistry.Credential key = registry.createPermanent("LTAIusers");
        ClientConfiguration cc = new ClientConfiguration();
        // a fault must show at once, not after the SDK's back-off
        cc.setRetryStrategy(new NoRetryStrategy());
        client = new SyncClient(tablestore.endpoint(), key.accessKeyId, key.accessKeySecret, INSTANCE, cc);
        TablestoreUserStore.ensureTable(new TableProvisioner(client), TABLE);
        users = new TablestoreUserStore(client, TABLE);
    }

    @AfterEach
    void stop() {
        client.shutdown();
        tablestore.close();
        mv.close();
    }

    @Test
    void ensureTableMakesAUidKeyedTableWithoutTtlAndKeepsAnExistingOne() {
        DescribeTableResponse described = client.describeTable(new DescribeTableRequest(TABLE));
        assertThat(described.getTableMeta().getPrimaryKeyList())
                .extracting(PrimaryKeySchema::getName, PrimaryKeySchema::getType)
                .containsExactly(Tuple.tuple("uid", PrimaryKeyType.STRING));
        assertThat(described.getTableOptions().getTimeToLive()).isEqualTo(-1);
        assertThat(described.getTableOptions().getMaxVersions()).isEqualTo(1);

        users.setPhone("u1", "13812345678", T0);
        TablestoreUserStore.ensureTable(new TableProvisioner(client), TABLE);
        assertThat(users.find("u1").flatMap(UserRecord::phone)).contains("13812345678");
    }

    @Test
    void aUserWithoutARowIsNotFound() {
        assertThat(users.find("nobody")).isEmpty();
    }

    @Test
    void setPhoneStoresTheNumberAndWhenAndReplacesAnEarlierOne() {
        users.setPhone("u1", "13800000000", T0);
        users.setPhone("u1", "13812345678", T0.plusSeconds(60));

        UserRecord record = users.find("u1").orElseThrow();
        assertThat(record.uid()).isEqualTo("u1");
        assertThat(record.phone()).contains("13812345678");
        assertThat(record.phoneAt()).contains(T0.plusSeconds(60));
        assertThat(record.sessions()).isEmpty();
        assertThat(record.deletingSince()).isEmpty();
        assertThat(record.toString()).doesNotContain("13812345678");
    }

    @Test
    void addSessionAddsItsColumnAndDropsOnlyTheExpiredOnesInOneWrite() {
        String a = hash();
        String b = hash();
        String c = hash();
        users.addSession("u1", a, T0.plusSeconds(10), List.of());
        users.addSession("u1", b, T0.plusSeconds(20), List.of());
        users.setPhone("u1", "13812345678", T0);

        users.addSession("u1", c, T0.plusSeconds(30), List.of(a, hash()));

        UserRecord record = users.find("u1").orElseThrow();
        assertThat(record.sessions()).isEqualTo(Map.of(b, T0.plusSeconds(20), c, T0.plusSeconds(30)));
        assertThat(record.phone()).contains("13812345678");
    }

    @Test
    void addSessionNamingItsOwnSessionAsExpiredStillAddsIt() {
        String a = hash();
        users.addSession("u1", a, T0.plusSeconds(10), List.of(a, a));

        assertThat(users.find("u1").orElseThrow().sessions()).isEqualTo(Map.of(a, T0.plusSeconds(10)));
    }

    @Test
    void aSessionColumnIsNamedByItsHashOnly() {
        assertThat(TablestoreUserStore.sessionColumn("ab".repeat(32))).isEqualTo("s_" + "ab".repeat(32));
        assertThatThrownBy(() -> TablestoreUserStore.sessionColumn(SessionIds.newId()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> users.addSession("u1", "AB".repeat(32), T0, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(users.find("u1")).isEmpty();
    }

    @Test
    void setPhoneDuringAPendingDeletionStoresNothing() {
        users.setPhone("u1", "13800000000", T0);
        users.markDeleting("u1", T0.plusSeconds(5));

        assertThatThrownBy(() -> users.setPhone("u1", "13812345678", T0.plusSeconds(6)))
                .isInstanceOf(AccountDeletionPending.class);

        UserRecord record = users.find("u1").orElseThrow();
        assertThat(record.phone()).contains("13800000000");
        assertThat(record.phoneAt()).contains(T0);
    }

    @Test
    void addSessionDuringAPendingDeletionAddsNoColumnAndDropsNone() {
        String a = hash();
        users.addSession("u1", a, T0.plusSeconds(10), List.of());
        users.markDeleting("u1", T0);

        assertThatThrownBy(() -> users.addSession("u1", hash(), T0.plusSeconds(20), List.of(a)))
                .isInstanceOf(AccountDeletionPending.class);

        assertThat(users.find("u1").orElseThrow().sessions()).isEqualTo(Map.of(a, T0.plusSeconds(10)));
    }

    @Test
    void markDeletingOnAUserWithoutARowCreatesThePendingRecord() {
        users.markDeleting("u2", T0);

        UserRecord record = users.find("u2").orElseThrow();
        assertThat(record.deletingSince()).contains(T0);
        assertThat(record.phone()).isEmpty();
        assertThatThrownBy(() -> users.setPhone("u2", "13812345678", T0)).isInstanceOf(AccountDeletionPending.class);
    }

    @Test
    void markDeletingKeepsTheEarliestWhateverTheOrderOfCalls() {
        users.markDeleting("u1", T0.plusSeconds(10));
        users.markDeleting("u1", T0.plusSeconds(20));
        assertThat(users.find("u1").orElseThrow().deletingSince()).contains(T0.plusSeconds(10));

        users.markDeleting("u1", T0.plusSeconds(10));
        assertThat(users.find("u1").orElseThrow().deletingSince()).contains(T0.plusSeconds(10));

        users.markDeleting("u1", T0.plusMillis(9999));
        assertThat(users.find("u1").orElseThrow().deletingSince()).contains(T0.plusMillis(9999));
    }

    @Test
    void deleteRemovesTheWholeRowAndAMissingRowIsNoError() {
        users.setPhone("u1", "13812345678", T0);
        users.addSession("u1", hash(), T0.plusSeconds(10), List.of());
        users.markDeleting("u1", T0);
        users.setPhone("u9", "13900000000", T0);

        users.delete("u1");
        users.delete("u1");
        users.delete("never-seen");

        assertThat(users.find("u1")).isEmpty();
        assertThat(users.find("u9").flatMap(UserRecord::phone)).contains("13900000000");
        // after the row is gone, writes land again: a later login of the same user starts empty
        users.setPhone("u1", "13700000000", T0.plusSeconds(30));
        assertThat(users.find("u1").orElseThrow().deletingSince()).isEmpty();
    }

    @Test
    void aFailingStoreIsUpstreamUnavailableForEveryMethod() {
        tablestore.faults().fail();

        List<Runnable> calls = List.of(() -> users.find("u1"), () -> users.setPhone("u1", "13812345678", T0),
                () -> users.addSession("u1", hash(), T0, List.of()), () -> users.markDeleting("u1", T0),
                () -> users.delete("u1"));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOf(ApiException.class)
                    .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE))
                    .hasMessage("Tablestore is unavailable or timed out; nothing was changed, retry later.");
        }
        tablestore.faults().clear();
        assertThat(users.find("u1")).isEmpty();
    }

    private static String hash() {
        return SessionIds.hash(SessionIds.newId());
    }
}
