package com.fcminiapp.kit.internal;

import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.ReturnType;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.RowUpdateChange;
import com.alicloud.openservices.tablestore.model.UpdateRowRequest;
import com.alicloud.openservices.tablestore.model.UpdateRowResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.tables.AccessMode;
import com.fcminiapp.common.tables.AccessPolicy;
import com.fcminiapp.common.tables.AccessPolicy.Actor;
import com.fcminiapp.common.tables.FieldType;
import com.fcminiapp.common.tables.RuleOp;
import com.fcminiapp.common.tables.TableDeclaration;
import com.fcminiapp.common.tablestore.TablestoreErrors;

import java.time.Clock;
import java.util.List;

/**
 * The update op on one stored row: read it, ask the policy's UPDATE of it, then one conditional UpdateRow with every
 * change. {@code inc} is Tablestore's atomic increment ({@code _version} incremented in the same write), so
 * concurrent increments all count without a retry: that write is conditional only on the row existing and, on a
 * creator-write table, on its {@code _owner} (which never changes), the facts the policy's answer rested on. Every
 * other update ({@code push}/{@code pull}, a {@code version}, a rules table whose rule reads any field) is
 * conditional on the stored {@code _version} and retried when another write got in between.
 */
final class RowUpdates {

    /** Tablestore's code for a write it cannot apply as asked (an increment of a column that is not an integer). */
    private static final String PARAMETER_INVALID = "OTSParameterInvalid";

    private final RowStore store;
    private final AccessPolicy policy;
    private final Clock clock;

    RowUpdates(RowStore store, AccessPolicy policy, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.clock = clock;
    }

    /** Applies {@code ops} to row {@code id} of partition {@code uid}; the item after. */
    ObjectNode update(Actor a, TableDeclaration t, String uid, String id, UpdateOps ops) {
        checkTypes(t, ops);
        for (int attempt = 0; attempt < RowStore.MAX_ATTEMPTS; attempt++) {
            Row row = store.read(t.name(), uid, id);
            if (row == null) {
                throw RowStore.notFound();
            }
            long stored = RowStore.version(row);
            if (ops.version != null && ops.version != stored) {
                throw RowStore.conflict();
            }
            ObjectNode before = RowService.item(t, id, row);
            policy.checkRow(t, a, RuleOp.UPDATE, before);
            checkIncrementable(before, ops);
            ObjectNode after = ops.apply(before);
            after.remove(List.of(ItemCodec.VERSION, ItemCodec.UPDATED_AT));
            ItemCodec.checkSize(after);
            ObjectNode written = write(t, a, uid, id, ops, stored, after);
            if (written != null) {
                return written;
            }
        }
        throw RowStore.busy();
    }

    /** The UpdateRow of {@code after}; the item as written, or null when the condition failed (read again). */
    private ObjectNode write(TableDeclaration t, Actor a, String uid, String id, UpdateOps ops, long stored,
                             ObjectNode after) {
        boolean atomic = atomic(t, a, ops);
        long now = clock.millis();
        RowUpdateChange change = new RowUpdateChange(t.name(), RowStore.key(uid, id));
        ops.set.keySet().forEach(f -> change.put(column(t, f, after.get(f))));
        ops.push.keySet().forEach(f -> change.put(column(t, f, after.get(f))));
        ops.pull.keySet().forEach(f -> change.put(column(t, f, after.get(f))));
        ops.unset.forEach(change::deleteColumns);
        ops.inc.forEach((f, delta) -> change.increment(new Column(f, ColumnValue.fromLong(delta))));
        if (atomic) {
            change.increment(new Column(ItemCodec.VERSION, ColumnValue.fromLong(1)));
            change.setCondition(RowStore.ownedBy(ownerCondition(t, a)));
        } else {
            change.put(ItemCodec.VERSION, ColumnValue.fromLong(stored + 1));
            change.setCondition(RowStore.versionIs(stored));
        }
        change.put(ItemCodec.UPDATED_AT, ColumnValue.fromLong(now));
        if (!ops.inc.isEmpty()) {
            // the service returns the values of incremented columns: the fields, and _version when it is one
            change.setReturnType(ReturnType.RT_AFTER_MODIFY);
            ops.inc.keySet().forEach(change::addReturnColumn);
            if (atomic) {
                change.addReturnColumn(ItemCodec.VERSION);
            }
        }
        UpdateRowResponse response = send(change, ops);
        if (response == null) {
            return null;
        }
        return answer(response, ops, after, atomic ? null : stored + 1, now);
    }

    private static ObjectNode answer(UpdateRowResponse response, UpdateOps ops, ObjectNode after, Long version,
                                     long now) {
        Row returned = response.getRow();
        for (String field : ops.inc.keySet()) {
            Column value = returned == null ? null : returned.getLatestColumn(field);
            if (value == null) {
                throw new IllegalStateException("Tablestore answered an increment without the column's new value");
            }
            after.put(field, value.getValue().asLong());
        }
        if (version == null) {
            Column value = returned == null ? null : returned.getLatestColumn(ItemCodec.VERSION);
            if (value == null) {
                throw new IllegalStateException("Tablestore answered an increment without the new _version");
            }
            version = value.getValue().asLong();
        }
        after.put(ItemCodec.VERSION, version);
        after.put(ItemCodec.UPDATED_AT, now);
        return after;
    }

    /** The response, or null when the condition failed; Tablestore's refusal of an increment is INVALID_ARGUMENT. */
    private UpdateRowResponse send(RowUpdateChange change, UpdateOps ops) {
        try {
            return store.client.updateRow(new UpdateRowRequest(change));
        } catch (RuntimeException e) {
            if (TablestoreErrors.isConditionFailure(e)) {
                return null;
            }
            if (!ops.inc.isEmpty() && TablestoreErrors.hasCode(e, PARAMETER_INVALID)) {
                // a racing write stored a value that is not an integer in a field being incremented
                throw notWhole(ops.inc.keySet().iterator().next());
            }
            throw TablestoreErrors.unavailable(e);
        }
    }

    /**
     * Whether the write may skip the version check: it increments, needs nothing else of the stored row, and the
     * policy's answer rests only on facts that never change (the server, a private partition, a creator-write row's
     * {@code _owner}, which the write's condition checks again).
     */
    private static boolean atomic(TableDeclaration t, Actor a, UpdateOps ops) {
        if (ops.inc.isEmpty() || ops.readsStored() || ops.version != null) {
            return false;
        }
        return a.server() || t.mode() == AccessMode.PRIVATE || t.mode() == AccessMode.CREATOR_WRITE;
    }

    private static String ownerCondition(TableDeclaration t, Actor a) {
        return !a.server() && t.mode() == AccessMode.CREATOR_WRITE ? a.uid() : null;
    }

    private static Column column(TableDeclaration t, String field, JsonNode value) {
        return new Column(field, ItemCodec.encode(field, value, t.indexType(field)));
    }

    /** An indexed field keeps its declared type: inc only on integer fields, push/pull only on string[] ones. */
    private static void checkTypes(TableDeclaration t, UpdateOps ops) {
        for (String field : ops.inc.keySet()) {
            FieldType type = t.indexType(field);
            if (type != null && type != FieldType.INTEGER) {
                throw ApiException.invalid("inc." + field + ": the field is indexed as " + type.wireName()
                        + "; only integer fields can be incremented.");
            }
        }
        for (String field : ops.push.keySet()) {
            checkArrayType(t, field, "push", ops.push.get(field));
        }
        for (String field : ops.pull.keySet()) {
            checkArrayType(t, field, "pull", ops.pull.get(field));
        }
    }

    private static void checkArrayType(TableDeclaration t, String field, String op, JsonNode values) {
        FieldType type = t.indexType(field);
        if (type != null && (type != FieldType.STRING_ARRAY || !type.accepts(values))) {
            throw ApiException.invalid(op + "." + field + ": the field is indexed as " + type.wireName()
                    + (type == FieldType.STRING_ARRAY ? "; push and pull strings." : "; it holds no array."));
        }
    }

    private static void checkIncrementable(ObjectNode before, UpdateOps ops) {
        for (String field : ops.inc.keySet()) {
            JsonNode stored = before.get(field);
            if (stored != null && !(stored.isIntegralNumber() && stored.canConvertToLong())) {
                throw notWhole(field);
            }
        }
    }

    private static ApiException notWhole(String field) {
        return ApiException.invalid("Field \"" + field + "\" does not hold a whole number; only integer fields "
                + "can be incremented.");
    }
}
