package com.fcminiapp.common;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.DeleteRowRequest;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.RowExistenceExpectation;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.fcminiapp.common.session.SessionIds;
import com.fcminiapp.common.session.SessionRecord;
import com.fcminiapp.common.session.TablestoreSessionStore;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/** The exact rows the session store hands the Tablestore SDK. */
class TablestoreSessionStoreTest {

    private final SyncClient client = mock(SyncClient.class);
    private final TablestoreSessionStore store = new TablestoreSessionStore(client, "session");

    @Test
    void createPutsOnlyTheHashAsKeyWithExpectNotExist() {
        String sessionId = SessionIds.newId();
        Instant created = Instant.parse("2026-11-25T12:00:00Z");
        store.create(new SessionRecord(SessionIds.hash(sessionId), "uid-1", created, created.plusSeconds(604800)));

        ArgumentCaptor<PutRowRequest> captor = ArgumentCaptor.forClass(PutRowRequest.class);
        verify(client).putRow(captor.capture());
        RowPutChange change = captor.getValue().getRowChange();
        assertThat(change.getTableName()).isEqualTo("session");
        assertThat(change.getPrimaryKey().getPrimaryKeyColumns()).hasSize(1);
        assertThat(change.getPrimaryKey().getPrimaryKeyColumn("id").getValue())
                .isEqualTo(PrimaryKeyValue.fromString(SessionIds.hash(sessionId)));
        assertThat(change.getCondition().getRowExistenceExpectation())
                .isEqualTo(RowExistenceExpectation.EXPECT_NOT_EXIST);
        assertThat(change.getColumnsToPut()).extracting(c -> c.getName() + "=" + c.getValue().toString())
                .containsExactlyInAnyOrder("uid=uid-1", "createdAt=" + created.toEpochMilli(),
                        "expiresAt=" + created.plusSeconds(604800).toEpochMilli());
        assertThat(change.toString()).doesNotContain(sessionId);
    }

    @Test
    void deleteNamesTheRowByHash() {
        store.delete("ab".repeat(32));

        ArgumentCaptor<DeleteRowRequest> captor = ArgumentCaptor.forClass(DeleteRowRequest.class);
        verify(client).deleteRow(captor.capture());
        assertThat(captor.getValue().getRowChange().getPrimaryKey().getPrimaryKeyColumn("id").getValue())
                .isEqualTo(PrimaryKeyValue.fromString("ab".repeat(32)));
    }
}
