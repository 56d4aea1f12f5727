package com.fcminiapp.kit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fcminiapp.common.tables.AccessPolicy.Actor;
import com.fcminiapp.common.tables.TableDeclaration;
import com.fcminiapp.kit.Caller;
import com.fcminiapp.kit.Expect;
import com.fcminiapp.kit.Page;
import com.fcminiapp.kit.Rows;
import com.fcminiapp.kit.Table;

import java.util.List;
import java.util.Objects;

/**
 * A declared table of an app function: the db function's RowService and QueryService on the table, with server
 * authority ({@link Actor#server}) for the uid each {@link Rows} names.
 */
final class KitTable implements Table {

    private final RowService rows;
    private final QueryService queries;
    private final String name;

    KitTable(RowService rows, QueryService queries, String name) {
        this.rows = rows;
        this.queries = queries;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String mode() {
        return declaration().mode().wireName();
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
        return rows.scan(declaration(), limit, next);
    }

    private TableDeclaration declaration() {
        return rows.table(name);
    }

    @Override
    public String toString() {
        return "Table{" + name + "}";
    }

    /** One user's rows (a private table's partition) or the shared rows for that user; every call names the uid. */
    private final class UserRows implements Rows {
        private final Actor actor;

        UserRows(String uid) {
            this.actor = Actor.server(uid);
        }

        @Override
        public ObjectNode get(String id) {
            return rows.get(actor, declaration(), ItemCodec.checkId(text(id), "id"));
        }

        @Override
        public ObjectNode put(ObjectNode obj) {
            return put(obj, Expect.ANY, null);
        }

        @Override
        public ObjectNode put(ObjectNode obj, Expect expect, Long version) {
            Objects.requireNonNull(obj, "obj");
            return rows.put(actor, declaration(), obj, expect == null ? Expect.ANY : expect, version);
        }

        @Override
        public ObjectNode add(ObjectNode obj) {
            return rows.add(actor, declaration(), Objects.requireNonNull(obj, "obj"));
        }

        @Override
        public ObjectNode update(String id, ObjectNode set, List<String> unset, Long version) {
            return rows.update(actor, declaration(), ItemCodec.checkId(text(id), "id"),
                    UpdateOps.of(set, unset == null ? List.of() : unset, version));
        }

        @Override
        public ObjectNode update(String id, JsonNode ops) {
            return rows.update(actor, declaration(), ItemCodec.checkId(text(id), "id"), UpdateOps.parse(ops));
        }

        @Override
        public long increment(String id, String field, long delta) {
            return rows.increment(actor, declaration(), id, Objects.requireNonNull(field, "field"), delta);
        }

        @Override
        public void remove(String id, Long version) {
            rows.remove(actor, declaration(), ItemCodec.checkId(text(id), "id"), version);
        }

        @Override
        public Page list(int limit, String prefix, boolean reverse, String next) {
            return rows.list(actor, declaration(), limit, prefix == null ? "" : prefix, reverse, next);
        }

        @Override
        public Page query(JsonNode where, JsonNode orderBy, int limit, String next) {
            return queries.query(actor, declaration(), where, orderBy, limit, next);
        }

        @Override
        public long count(JsonNode where) {
            return queries.count(actor, declaration(), where);
        }

        private JsonNode text(String id) {
            return id == null ? null : TextNode.valueOf(id);
        }
    }
}
