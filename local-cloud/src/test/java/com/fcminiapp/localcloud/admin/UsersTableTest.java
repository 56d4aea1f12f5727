package com.fcminiapp.localcloud.admin;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.CreateTableRequest;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeySchema;
import com.alicloud.openservices.tablestore.model.PrimaryKeyType;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.TableMeta;
import com.alicloud.openservices.tablestore.model.TableOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.tablestore.TablestoreStandIn;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's Users view reads the users table through the Tablestore stand-in, rows written with the real SDK as
 * the session function writes them: masked numbers, live sessions counted (expired ones not), a pending deletion's
 * time; no table yet reads as no users.
 */
class UsersTableTest {

    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private final MVStore credentials = new MVStore.Builder().open();
    private final CredentialRegistry registry = new CredentialRegistry(credentials, Clock.systemUTC());
    private final CredentialRegistry.Credential owner = registry.createPermanent("LTAI");
    private TablestoreStandIn standIn;
    private SyncClient client;
    private UsersTable view;

    @BeforeEach
    void start() {
        standIn = new TablestoreStandIn(0, registry, "miniapp", new MVStore.Builder().open()).start();
        client = new SyncClient(standIn.endpoint(), owner.accessKeyId, owner.accessKeySecret, "miniapp");
        view = new UsersTable(client, "miniapp_users", Map.of("uid-alice", "alice")::get,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        client.shutdown();
        standIn.close();
        credentials.close();
    }

    private void createTable() {
        TableMeta meta = new TableMeta("miniapp_users");
        meta.addPrimaryKeyColumn(new PrimaryKeySchema("uid", PrimaryKeyType.STRING));
        client.createTable(new CreateTableRequest(meta, new TableOptions(-1, 1)));
    }

    private void put(String uid, Map<String, ColumnValue> columns) {
        RowPutChange row = new RowPutChange("miniapp_users", PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("uid", PrimaryKeyValue.fromString(uid)).build());
        columns.forEach((name, value) -> row.addColumn(new Column(name, value)));
        client.putRow(new PutRowRequest(row));
    }

    @Test
    void beforeTheTableExistsTheViewIsEmpty() throws Exception {
        assertThat(view.rows()).isEmpty();
    }

    @Test
    void eachRowShowsTheMaskedPhoneTheLiveSessionsAndAPendingDeletion() throws Exception {
        createTable();
        long later = NOW.plusSeconds(3600).toEpochMilli();
        long earlier = NOW.minusSeconds(1).toEpochMilli();
        put("uid-alice", Map.of("phone", ColumnValue.fromString("13812345678"),
                "phoneAt", ColumnValue.fromLong(earlier), "s_" + "a".repeat(64), ColumnValue.fromLong(later),
                "s_" + "b".repeat(64), ColumnValue.fromLong(later), "s_" + "c".repeat(64), ColumnValue.fromLong(earlier)));
        put("uid-bob", Map.of("deletingSince", ColumnValue.fromLong(NOW.minusSeconds(60).toEpochMilli()),
                "s_" + "d".repeat(64), ColumnValue.fromLong(later)));

        JsonNode rows = view.rows();

        assertThat(rows).hasSize(2);
        JsonNode alice = rows.get(0);
        assertThat(alice.path("uid").asText()).isEqualTo("uid-alice");
        assertThat(alice.path("name").asText()).isEqualTo("alice");
        assertThat(alice.path("phone").asText()).isEqualTo("138****5678");
        assertThat(alice.path("liveSessions").asInt()).isEqualTo(2);
        assertThat(alice.path("deletionPendingSince").isNull()).isTrue();
        JsonNode bob = rows.get(1);
        assertThat(bob.path("name").isNull()).isTrue();
        assertThat(bob.path("phone").isNull()).isTrue();
        assertThat(bob.path("liveSessions").asInt()).isEqualTo(1);
        assertThat(bob.path("deletionPendingSince").asText()).isEqualTo("2026-12-02T09:59:00Z");
        assertThat(rows.toString()).doesNotContain("13812345678", "aaaa", "dddd");
    }

    @Test
    void numbersAreMaskedAsThePhoneActionAnswersThem() {
        assertThat(UsersTable.mask("13812345678")).isEqualTo("138****5678");
        assertThat(UsersTable.mask("12345678")).isEqualTo("123*5678");
        assertThat(UsersTable.mask("1234567")).isEqualTo("*****67");
        assertThat(UsersTable.mask("+8613812345678")).isEqualTo("+86*******5678");
        assertThat(UsersTable.mask("12")).isEqualTo("12");
    }
}
