package com.fcminiapp.kit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fcminiapp.kit.Caller;
import com.fcminiapp.kit.Expect;
import com.fcminiapp.kit.Page;
import com.fcminiapp.kit.Rows;
import com.fcminiapp.kit.Table;

import java.util.List;
import java.util.Objects;

/** A declared table of an app function: the db function's RowService on the table's name. */
final class KitTable implements Table {

    private final RowService rows;
    private final String name;

    KitTable(RowService rows, String name) {
        this.rows = rows;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Rows rowsOf(Caller caller) {
        return new UserRows(Objects.requireNonNull(caller, "caller").uid());
    }

    @Override
    public Rows rowsOf(String uid) {
        if (uid == null || uid.isEmpty()) {
            throw new IllegalArgumentException("uid is missing");
        }
        return new UserRows(uid);
    }

    @Override
    public Page scan(int limit, String next) {
        return rows.scan(name, limit, next);
    }

    @Override
    public String toString() {
        return "Table{" + name + "}";
    }

    /** One partition of the table; every call names its uid, so nothing reaches past it. */
    private final class UserRows implements Rows {
        private final String uid;

        UserRows(String uid) {
            this.uid = uid;
        }

        @Override
        public ObjectNode get(String id) {
            return rows.get(uid, name, ItemCodec.checkId(text(id), "id"));
        }

        @Override
        public ObjectNode put(ObjectNode obj) {
            return put(obj, Expect.ANY, null);
        }

        @Override
        public ObjectNode put(ObjectNode obj, Expect expect, Long version) {
            Objects.requireNonNull(obj, "obj");
            return rows.put(uid, name, obj, expect == null ? Expect.ANY : expect, version);
        }

        @Override
        public ObjectNode update(String id, ObjectNode set, List<String> unset, Long version) {
            return rows.update(uid, name, ItemCodec.checkId(text(id), "id"), set, unset == null ? List.of() : unset,
                    version);
        }

        @Override
        public long increment(String id, String field, long delta) {
            return rows.increment(uid, name, id, Objects.requireNonNull(field, "field"), delta);
        }

        @Override
        public void remove(String id, Long version) {
            rows.remove(uid, name, ItemCodec.checkId(text(id), "id"), version);
        }

        @Override
        public Page list(int limit, String prefix, boolean reverse, String next) {
            return rows.list(uid, name, limit, prefix == null ? "" : prefix, reverse, next);
        }

        private JsonNode text(String id) {
            return id == null ? null : TextNode.valueOf(id);
        }
    }
}
