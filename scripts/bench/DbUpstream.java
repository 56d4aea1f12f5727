import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.Condition;
import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.RowExistenceExpectation;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;
import com.aliyun.fc.runtime.Context;
import com.fcminiapp.common.config.DbConfig;
import com.fcminiapp.common.credentials.RoleCredentials;
import com.fcminiapp.common.session.SessionIds;
import com.fcminiapp.common.session.TablestoreSessionStore;
import com.fcminiapp.common.tablestore.TablestoreClients;

import java.util.function.IntConsumer;

/**
 * A db put's upstream round trips alone, for FcRunner's overhead figure: the session GetRow, the row's version
 * GetRow and the conditional PutRow (what RowService.put sends for a new id), through the db jar's own Tablestore
 * client built with the same settings as DbFunction.create, without the handler, the event or the answer.
 */
public final class DbUpstream implements IntConsumer {
    private final SyncClient tablestore;
    private final TablestoreSessionStore sessions;
    private final String table;
    private final String sidHash;
    private final String uid;
    private final String run = Long.toString(System.nanoTime(), 36);

    /** Puts as the user of the login whose session id is in BENCH_SID. */
    public DbUpstream(Object context) {
        DbConfig config = DbConfig.from(System.getenv());
        RoleCredentials credentials = new RoleCredentials();
        credentials.refreshFrom((Context) context);
        tablestore = TablestoreClients.create(config.tablestore(), credentials);
        sessions = new TablestoreSessionStore(tablestore, config.tablestore().sessionTable());
        table = config.dataTables().get(0);
        sidHash = SessionIds.hash(System.getenv("BENCH_SID"));
        uid = sessions.find(sidHash).orElseThrow(() -> new IllegalStateException("BENCH_SID: no such session")).uid();
    }

    @Override
    public void accept(int n) {
        sessions.find(sidHash);
        String id = "upstream-" + run + "-" + n;
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(table, key(id));
        criteria.setMaxVersions(1);
        criteria.addColumnsToGet("_version");
        tablestore.getRow(new GetRowRequest(criteria));
        RowPutChange put = new RowPutChange(table, key(id));
        put.addColumn(new Column("title", ColumnValue.fromString("warm")));
        put.addColumn(new Column("_version", ColumnValue.fromLong(1)));
        put.addColumn(new Column("_updatedAt", ColumnValue.fromLong(System.currentTimeMillis())));
        put.setCondition(new Condition(RowExistenceExpectation.EXPECT_NOT_EXIST));
        tablestore.putRow(new PutRowRequest(put));
    }

    private PrimaryKey key(String id) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder().addPrimaryKeyColumn("uid", PrimaryKeyValue.fromString(uid))
                .addPrimaryKeyColumn("id", PrimaryKeyValue.fromString(id)).build();
    }
}
