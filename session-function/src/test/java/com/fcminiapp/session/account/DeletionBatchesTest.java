package com.fcminiapp.session.account;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.BatchWriteRowRequest;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.model.DeleteObjectsRequest;
import com.fcminiapp.common.tables.TablesDeclaration;
import com.fcminiapp.common.tablestore.TableProvisioner;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.oss.OssStandIn;
import com.fcminiapp.localcloud.standin.tablestore.TablestoreStandIn;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;

/** The batch boundaries the deletion's requests keep: 200 rows per BatchWriteRow, one DeleteObjects per page. */
class DeletionBatchesTest {

    private static final String UID = "2088000000000007";
    private final CredentialRegistry registry = CredentialRegistry.inMemory();
    private final CredentialRegistry.Credential key = registry.createPermanent("LTAI");
    private final MVStore store = new MVStore.Builder().open();
    private TablestoreStandIn tablestore;
    private OssStandIn oss;
    private SyncClient client;
    private OSS files;

    @TempDir
    Path temp;

    @AfterEach
    void stop() {
        if (client != null) {
            client.shutdown();
        }
        if (files != null) {
            files.shutdown();
        }
        if (tablestore != null) {
            tablestore.close();
        }
        if (oss != null) {
            oss.close();
        }
        store.close();
    }

    @Test
    void theLimitsAreTablestoresAndOsss() {
        assertThat(TableRowsEraser.BATCH_ROWS).isEqualTo(200);
        assertThat(FileEraser.BATCH_KEYS).isEqualTo(OssStandIn.MAX_DELETE_KEYS).isEqualTo(1000);
        assertThatThrownBy(() -> new FileEraser(() -> null, "b", 1001)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rowsAreDeletedInBatchesOfAtMostTwoHundredAcrossPages() {
        tablestore = new TablestoreStandIn(0, registry, "miniapp", store).start();
        client = spy(new SyncClient(tablestore.endpoint(), key.accessKeyId, key.accessKeySecret, "miniapp"));
        new TableProvisioner(client).ensureTable("notes", List.of("uid", "id"), null);
        new TableProvisioner(client).ensureTable("posts", List.of("uid", "id"), null);
        new TableProvisioner(client).ensureTable("scores", List.of("uid", "id"), null);
        put("notes", UID, 201, null);
        put("scores", UID, 201, null);
        put("posts", "*", 401, UID);
        put("posts", "*", 3, "2088000000000008");

        new TableRowsEraser(client, TablesDeclaration.parse(
                "{\"notes\":{\"mode\":\"private\"},\"posts\":{\"mode\":\"creator-write\"}}"),
                List.of("scores")).erase(UID);

        ArgumentCaptor<BatchWriteRowRequest> batches = ArgumentCaptor.forClass(BatchWriteRowRequest.class);
        verify(client, atLeastOnce()).batchWriteRow(batches.capture());
        // the seeding's batches first, then the deletion's: notes 200 + 1, posts 200 + 200 + 1, the app table's
        // partition last, 200 + 1
        List<String> deletes = batches.getAllValues().stream().skip(seeded)
                .map(b -> b.getRowChange().keySet() + "=" + b.getRowsCount()).collect(Collectors.toList());
        assertThat(deletes).containsExactly("[notes]=200", "[notes]=1", "[posts]=200", "[posts]=200", "[posts]=1",
                "[scores]=200", "[scores]=1");
    }

    private int seeded;

    private void put(String table, String partition, int count, String owner) {
        for (int from = 0; from < count; from += 200) {
            BatchWriteRowRequest batch = new BatchWriteRowRequest();
            for (int i = from; i < Math.min(count, from + 200); i++) {
                RowPutChange put = new RowPutChange(table, PrimaryKeyBuilder.createPrimaryKeyBuilder()
                        .addPrimaryKeyColumn("uid", PrimaryKeyValue.fromString(partition))
                        .addPrimaryKeyColumn("id", PrimaryKeyValue.fromString(
                                (owner == null ? "" : owner) + String.format("-%05d", i))).build());
                put.addColumn(new Column("v", ColumnValue.fromLong(i)));
                if (owner != null) {
                    put.addColumn(new Column("_owner", ColumnValue.fromString(owner)));
                }
                batch.addRowChange(put);
            }
            client.batchWriteRow(batch);
            seeded++;
        }
    }

    @Test
    void filesAreDeletedOnePageAtATimeInBothFolders() {
        oss = new OssStandIn(0, registry, temp).start();
        oss.createBucket("miniapp-files");
        files = spy(new OSSClientBuilder().build(oss.endpoint(), key.accessKeyId, key.accessKeySecret));
        for (String path : List.of("users/" + UID + "/1", "users/" + UID + "/2", "users/" + UID + "/3",
                "users/" + UID + "/4", "users/" + UID + "/5", "public/" + UID + "/p", "users/other/1")) {
            files.putObject("miniapp-files", path, new ByteArrayInputStream(new byte[] {1}));
        }

        new FileEraser(() -> files, "miniapp-files", 2).erase(UID);

        ArgumentCaptor<DeleteObjectsRequest> deletes = ArgumentCaptor.forClass(DeleteObjectsRequest.class);
        verify(files, atLeastOnce()).deleteObjects(deletes.capture());
        assertThat(deletes.getAllValues()).extracting(DeleteObjectsRequest::getKeys).containsExactly(
                List.of("users/" + UID + "/1", "users/" + UID + "/2"), List.of("users/" + UID + "/3", "users/" + UID + "/4"),
                List.of("users/" + UID + "/5"), List.of("public/" + UID + "/p"));
        assertThat(files.listObjects("miniapp-files").getObjectSummaries()).extracting(s -> s.getKey())
                .containsExactly("users/other/1");
    }
}
