package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.core.protocol.OTSProtocolBuilder;
import com.alicloud.openservices.tablestore.model.CapacityUnit;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.Condition;
import com.alicloud.openservices.tablestore.model.CreateTableRequest;
import com.alicloud.openservices.tablestore.model.PrimaryKeySchema;
import com.alicloud.openservices.tablestore.model.PrimaryKeyType;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.ReservedThroughput;
import com.alicloud.openservices.tablestore.model.RowExistenceExpectation;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.RowUpdateChange;
import com.alicloud.openservices.tablestore.model.TableMeta;
import com.alicloud.openservices.tablestore.model.TableOptions;
import com.alicloud.openservices.tablestore.model.UpdateRowRequest;
import com.alicloud.openservices.tablestore.model.condition.SingleColumnValueCondition;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.fcminiapp.localcloud.standin.tablestore.TablestoreFixture.TABLE;
import static com.fcminiapp.localcloud.standin.tablestore.TablestoreFixture.key;
import static org.assertj.core.api.Assertions.assertThat;

/** Races writers on the engine directly, without HTTP in between, so that the read-check-write window is hit. */
class TableEngineRaceTest {

    private static final int WRITERS = 20;
    private static final int ROUNDS = 50;

    @Test
    void everyRoundOfRacingVersionedUpdatesHasExactlyOneWinner() throws Exception {
        MVStore store = new MVStore.Builder().open();
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            TableEngine engine = new TableEngine(store, Clock.systemUTC());
            TableMeta meta = new TableMeta(TABLE);
            meta.addPrimaryKeyColumn(new PrimaryKeySchema("uid", PrimaryKeyType.STRING));
            meta.addPrimaryKeyColumn(new PrimaryKeySchema("id", PrimaryKeyType.STRING));
            engine.createTable(OTSProtocolBuilder.buildCreateTableRequest(new CreateTableRequest(meta,
                    new TableOptions(-1, 1), new ReservedThroughput(new CapacityUnit(0, 0)))));
            RowPutChange initial = new RowPutChange(TABLE, key("alice", "race"));
            initial.addColumn("_version", ColumnValue.fromLong(0));
            engine.putRow(OTSProtocolBuilder.buildPutRowRequest(new PutRowRequest(initial)));

            List<Integer> winnersPerRound = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                long expected = round;
                CyclicBarrier go = new CyclicBarrier(WRITERS);
                List<Future<Boolean>> outcomes = new ArrayList<>();
                for (int i = 0; i < WRITERS; i++) {
                    outcomes.add(pool.submit(() -> {
                        RowUpdateChange change = new RowUpdateChange(TABLE, key("alice", "race"));
                        change.put("_version", ColumnValue.fromLong(expected + 1));
                        Condition condition = new Condition(RowExistenceExpectation.EXPECT_EXIST);
                        condition.setColumnCondition(new SingleColumnValueCondition("_version",
                                SingleColumnValueCondition.CompareOperator.EQUAL, ColumnValue.fromLong(expected)));
                        change.setCondition(condition);
                        var request = OTSProtocolBuilder.buildUpdateRowRequest(new UpdateRowRequest(change));
                        go.await();
                        try {
                            engine.updateRow(request);
                            return true;
                        } catch (OtsError e) {
                            return false;
                        }
                    }));
                }
                int wins = 0;
                for (Future<Boolean> outcome : outcomes) {
                    wins += outcome.get() ? 1 : 0;
                }
                winnersPerRound.add(wins);
            }
            assertThat(winnersPerRound).containsOnly(1);
        } finally {
            pool.shutdownNow();
            store.close();
        }
    }
}
