package com.fcminiapp.common.tablestore;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.TableStoreException;
import com.alicloud.openservices.tablestore.model.CreateTableRequest;
import com.alicloud.openservices.tablestore.model.DescribeTableRequest;
import com.alicloud.openservices.tablestore.model.PrimaryKeySchema;
import com.alicloud.openservices.tablestore.model.PrimaryKeyType;
import com.alicloud.openservices.tablestore.model.TableMeta;
import com.alicloud.openservices.tablestore.model.TableOptions;

import java.time.Duration;
import java.util.List;

/** Creates a table at initialize when it is missing (TABLESTORE_AUTO_CREATE), and checks its primary key. */
public final class TableProvisioner {

    private final SyncClient client;

    public TableProvisioner(SyncClient client) {
        this.client = client;
    }

    /**
     * Makes sure {@code table} exists with string primary-key columns {@code keyNames}. {@code ttl} null keeps rows
     * forever; otherwise the store drops rows that long after their last write.
     *
     * @return true when the table was created now
     */
    public boolean ensureTable(String table, List<String> keyNames, Duration ttl) {
        try {
            TableMeta meta = client.describeTable(new DescribeTableRequest(table)).getTableMeta();
            checkSchema(table, meta, keyNames);
            return false;
        } catch (TableStoreException e) {
            if (!TablestoreErrors.OBJECT_NOT_EXIST.equals(e.getErrorCode())) {
                throw e;
            }
        }
        TableMeta meta = new TableMeta(table);
        for (String key : keyNames) {
            meta.addPrimaryKeyColumn(new PrimaryKeySchema(key, PrimaryKeyType.STRING));
        }
        TableOptions options = new TableOptions(ttl == null ? -1 : (int) Math.min(Integer.MAX_VALUE, ttl.getSeconds()), 1);
        try {
            client.createTable(new CreateTableRequest(meta, options));
            return true;
        } catch (TableStoreException e) {
            // another instance created it first
            if (TablestoreErrors.OBJECT_ALREADY_EXIST.equals(e.getErrorCode())) {
                return false;
            }
            throw e;
        }
    }

    private static void checkSchema(String table, TableMeta meta, List<String> keyNames) {
        List<PrimaryKeySchema> schema = meta.getPrimaryKeyList();
        boolean matches = schema.size() == keyNames.size();
        for (int i = 0; matches && i < schema.size(); i++) {
            matches = schema.get(i).getName().equals(keyNames.get(i))
                    && schema.get(i).getType() == PrimaryKeyType.STRING;
        }
        if (!matches) {
            throw new IllegalStateException("Tablestore table " + table + " exists with another primary key; expected "
                    + keyNames + " (all STRING)");
        }
    }
}
