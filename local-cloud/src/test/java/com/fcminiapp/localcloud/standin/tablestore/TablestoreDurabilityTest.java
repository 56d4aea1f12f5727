package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.ClientConfiguration;
import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.TableStoreException;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.Condition;
import com.alicloud.openservices.tablestore.model.DefaultRetryStrategy;
import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.RowExistenceExpectation;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.RowUpdateChange;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.UpdateRowRequest;
import com.alicloud.openservices.tablestore.model.condition.SingleColumnValueCondition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static com.fcminiapp.localcloud.standin.tablestore.TablestoreFixture.TABLE;
import static com.fcminiapp.localcloud.standin.tablestore.TablestoreFixture.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TablestoreDurabilityTest {

    private TablestoreFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void rowsSurviveClosingAndReopeningTheStore(@TempDir Path dir) {
        String file = dir.resolve("tablestore.mv.db").toString();
        fixture = new TablestoreFixture(file, Clock.systemUTC());
        SyncClient client = fixture.client();
        fixture.createTodoTable(client);
        RowPutChange change = new RowPutChange(TABLE, key("alice", "1"));
        change.addColumn("title", ColumnValue.fromString("kept"));
        client.putRow(new PutRowRequest(change));

        fixture.standIn.close();
        fixture.dataStore.close();
        fixture.dataStore = TablestoreFixture.openData(file);
        fixture.standIn = new TablestoreStandIn(0, fixture.registry, TablestoreFixture.INSTANCE, fixture.dataStore).start();
        SyncClient reopened = fixture.client();

        assertThat(reopened.listTable().getTableNames()).containsExactly(TABLE);
        assertThat(get(reopened, "alice", "1").getLatestColumn("title").getValue().asString()).isEqualTo("kept");
    }

    @Test
    void exactlyOneOfTwentyRacingConditionalUpdatesWins() throws Exception {
        fixture = new TablestoreFixture();
        SyncClient client = fixture.client();
        fixture.createTodoTable(client);
        RowPutChange initial = new RowPutChange(TABLE, key("alice", "race"));
        initial.addColumn("_version", ColumnValue.fromLong(1));
        client.putRow(new PutRowRequest(initial));

        int writers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < writers; i++) {
                int writer = i;
                Callable<Boolean> attempt = () -> {
                    go.await();
                    RowUpdateChange change = new RowUpdateChange(TABLE, key("alice", "race"));
                    change.put("_version", ColumnValue.fromLong(2));
                    change.put("winner", ColumnValue.fromLong(writer));
                    Condition condition = new Condition(RowExistenceExpectation.EXPECT_EXIST);
                    condition.setColumnCondition(new SingleColumnValueCondition("_version",
                            SingleColumnValueCondition.CompareOperator.EQUAL, ColumnValue.fromLong(1)));
                    change.setCondition(condition);
                    try {
                        client.updateRow(new UpdateRowRequest(change));
                        return true;
                    } catch (TableStoreException e) {
                        assertThat(e.getErrorCode()).isEqualTo("OTSConditionCheckFail");
                        return false;
                    }
                };
                outcomes.add(pool.submit(attempt));
            }
            go.countDown();
            int wins = 0;
            for (Future<Boolean> outcome : outcomes) {
                wins += outcome.get() ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(get(client, "alice", "race").getLatestColumn("_version").getValue().asLong()).isEqualTo(2);
    }

    @Test
    void clientWithABoundedRetryStrategyGivesUpOnAFailingService() {
        fixture = new TablestoreFixture();
        ClientConfiguration configuration = new ClientConfiguration();
        configuration.setRetryStrategy(new DefaultRetryStrategy(1, TimeUnit.SECONDS));
        SyncClient client = fixture.track(new SyncClient(fixture.standIn.endpoint(), fixture.permanent.accessKeyId,
                fixture.permanent.accessKeySecret, TablestoreFixture.INSTANCE, configuration));
        fixture.standIn.faults().fail();

        assertThatThrownBy(client::listTable).isInstanceOfSatisfying(TableStoreException.class,
                e -> assertThat(e.getErrorCode()).isEqualTo("OTSServerUnavailable"));
    }

    private static Row get(SyncClient client, String uid, String id) {
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(TABLE, key(uid, id));
        criteria.setMaxVersions(1);
        return client.getRow(new GetRowRequest(criteria)).getRow();
    }
}
