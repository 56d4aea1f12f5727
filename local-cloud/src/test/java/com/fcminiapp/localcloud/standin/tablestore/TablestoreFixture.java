package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.ClientConfiguration;
import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.CapacityUnit;
import com.alicloud.openservices.tablestore.model.CreateTableRequest;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeySchema;
import com.alicloud.openservices.tablestore.model.PrimaryKeyType;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.ReservedThroughput;
import com.alicloud.openservices.tablestore.model.TableMeta;
import com.alicloud.openservices.tablestore.model.TableOptions;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import org.h2.mvstore.MVStore;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A stand-in on a free port with a permanent and a temporary key, and the SDK clients the tests open on it. */
final class TablestoreFixture implements AutoCloseable {

    static final String INSTANCE = "miniapp";
    static final String TABLE = "todo_list";

    final MVStore credentialStore = new MVStore.Builder().open();
    final CredentialRegistry registry;
    final CredentialRegistry.Credential permanent;
    final CredentialRegistry.Credential temporary;
    MVStore dataStore;
    TablestoreStandIn standIn;
    private final List<SyncClient> clients = new ArrayList<>();

    TablestoreFixture() {
        this(null, Clock.systemUTC());
    }

    TablestoreFixture(String dataFile, Clock clock) {
        registry = new CredentialRegistry(credentialStore, clock);
        permanent = registry.createPermanent("LTAI");
        temporary = registry.issueTemporary("acs:ram::1:role/db", "alice", "{}", Duration.ofHours(1));
        dataStore = openData(dataFile);
        standIn = new TablestoreStandIn(0, registry, INSTANCE, dataStore).start();
    }

    static MVStore openData(String file) {
        MVStore.Builder builder = new MVStore.Builder();
        if (file != null) {
            builder.fileName(file);
        }
        return builder.open();
    }

    SyncClient client() {
        return track(new SyncClient(standIn.endpoint(), permanent.accessKeyId, permanent.accessKeySecret, INSTANCE));
    }

    SyncClient temporaryClient() {
        return track(new SyncClient(standIn.endpoint(), temporary.accessKeyId, temporary.accessKeySecret, INSTANCE,
                temporary.securityToken));
    }

    SyncClient client(String accessKeyId, String secret, String instance, String token) {
        ClientConfiguration configuration = new ClientConfiguration();
        configuration.setRetryStrategy(new com.alicloud.openservices.tablestore.model.NoRetryStrategy());
        return track(new SyncClient(standIn.endpoint(), accessKeyId, secret, instance, configuration, token));
    }

    SyncClient track(SyncClient client) {
        clients.add(client);
        return client;
    }

    /** The product's table: uid (STRING, partition key) and id (STRING). */
    void createTodoTable(SyncClient client) {
        TableMeta meta = new TableMeta(TABLE);
        meta.addPrimaryKeyColumn(new PrimaryKeySchema("uid", PrimaryKeyType.STRING));
        meta.addPrimaryKeyColumn(new PrimaryKeySchema("id", PrimaryKeyType.STRING));
        client.createTable(new CreateTableRequest(meta, new TableOptions(-1, 1),
                new ReservedThroughput(new CapacityUnit(0, 0))));
    }

    static PrimaryKey key(String uid, String id) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("uid", PrimaryKeyValue.fromString(uid))
                .addPrimaryKeyColumn("id", PrimaryKeyValue.fromString(id))
                .build();
    }

    @Override
    public void close() {
        clients.forEach(SyncClient::shutdown);
        standIn.close();
        if (!dataStore.isClosed()) {
            dataStore.close();
        }
        credentialStore.close();
    }
}
