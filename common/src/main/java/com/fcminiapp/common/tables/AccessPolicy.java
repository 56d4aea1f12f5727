package com.fcminiapp.common.tables;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;

import java.util.Objects;

/**
 * The one access decision of every row op (design §3), by the table's mode or rules. A user is the caller of the
 * db function; the server (an app function through the kit) may do every op on every table. Stateless and
 * thread-safe: the kit asks {@link #checkOp} before touching Tablestore, {@link #checkRow} on each row it reads
 * or writes, and ANDs {@link #readFilter} with a query's where.
 */
public final class AccessPolicy {

    /** Who asks: a user (with a session) or the server naming a uid. Immutable. */
    public static final class Actor {
        private final String uid;
        private final boolean server;

        private Actor(String uid, boolean server) {
            this.uid = uid;
            this.server = server;
        }

        /** A logged-in user. */
        public static Actor user(String uid) {
            if (uid == null || uid.isEmpty()) {
                throw new IllegalArgumentException("a user has a uid");
            }
            return new Actor(uid, false);
        }

        /** The server acting for {@code uid} (the {@code _owner} of the rows it creates; null: none). */
        public static Actor server(String uid) {
            return new Actor(uid, true);
        }

        public String uid() {
            return uid;
        }

        public boolean server() {
            return server;
        }

        @Override
        public String toString() {
            return server ? "server" : "user";
        }
    }

    /** Denies with PERMISSION_DENIED when {@code a} may never do {@code op} on {@code t} (by mode or rules). */
    public void checkOp(TableDeclaration t, Actor a, RowOp op) {
        Objects.requireNonNull(t, "table");
        Objects.requireNonNull(op, "op");
        if (a.server() || t.mode() == AccessMode.PRIVATE || t.mode() == AccessMode.CREATOR_WRITE) {
            return;
        }
        boolean read = op == RowOp.GET || op == RowOp.LIST || op == RowOp.QUERY || op == RowOp.COUNT;
        switch (t.mode()) {
            case SERVER_WRITE:
                if (!read) {
                    throw denied("Table " + t.name() + " is server-write: only app functions may " + op.wireName()
                            + " its rows.");
                }
                return;
            case SERVER_ONLY:
                throw denied("Table " + t.name() + " is server-only: only app functions may " + op.wireName()
                        + " its rows.");
            default:
                checkRulesOp(t, a, op);
        }
    }

    private void checkRulesOp(TableDeclaration t, Actor a, RowOp op) {
        switch (op) {
            case GET:
            case QUERY:
            case COUNT:
                requireRule(t, op, RuleOp.READ);
                return;
            case LIST:
                requireRule(t, op, RuleOp.READ);
                if (!RuleCover.cover(t, a.uid(), Filter.all()).map(Filter::isAll).orElse(false)) {
                    throw denied("Table " + t.name() + ": its read rule (" + t.rule(RuleOp.READ).source()
                            + ") does not hold for every row, so list is denied; use query, which adds the"
                            + " rule's conditions.");
                }
                return;
            case PUT:
                if (t.rule(RuleOp.CREATE) == null && t.rule(RuleOp.UPDATE) == null) {
                    throw denied("Table " + t.name() + " declares neither a create nor an update rule, so put is"
                            + " denied.");
                }
                return;
            case ADD:
                requireRule(t, op, RuleOp.CREATE);
                return;
            case UPDATE:
                requireRule(t, op, RuleOp.UPDATE);
                return;
            default:
                requireRule(t, op, RuleOp.DELETE);
        }
    }

    private static void requireRule(TableDeclaration t, RowOp op, RuleOp ruleOp) {
        if (t.rule(ruleOp) == null) {
            throw denied("Table " + t.name() + " declares no " + ruleOp.wireName() + " rule, so " + op.wireName()
                    + " is denied.");
        }
    }

    /**
     * Denies with PERMISSION_DENIED when {@code a} may not do {@code op} on the row {@code doc} (as items look,
     * with {@code _owner}; for CREATE the row as it would be written, for UPDATE and DELETE the stored row).
     */
    public void checkRow(TableDeclaration t, Actor a, RuleOp op, ObjectNode doc) {
        Objects.requireNonNull(op, "op");
        if (a.server() || t.mode() == AccessMode.PRIVATE) {
            return;
        }
        switch (t.mode()) {
            case CREATOR_WRITE:
                if ((op == RuleOp.UPDATE || op == RuleOp.DELETE)
                        && !TextNode.valueOf(a.uid()).equals(doc.get("_owner"))) {
                    throw denied("Table " + t.name() + " is creator-write: only the row's creator (its _owner) may "
                            + (op == RuleOp.UPDATE ? "change" : "remove") + " it.");
                }
                return;
            case SERVER_WRITE:
                if (op != RuleOp.READ) {
                    throw denied("Table " + t.name() + " is server-write: only app functions may change its rows.");
                }
                return;
            case SERVER_ONLY:
                throw denied("Table " + t.name() + " is server-only: only app functions may use its rows.");
            default:
                Rule rule = t.rule(op);
                if (rule == null) {
                    throw denied("Table " + t.name() + " declares no " + op.wireName() + " rule, so it is denied.");
                }
                if (!rule.allows(a.uid(), doc)) {
                    throw denied("Table " + t.name() + ": the " + op.wireName() + " rule (" + rule.source()
                            + ") does not allow this " + op.wireName() + ".");
                }
        }
    }

    /**
     * The condition to AND with a query's {@code where} so that it returns only rows {@code a} may read: private,
     * the caller's partition ({@code uid == caller}); creator-write and server-write, none ({@link Filter#all()});
     * rules, the read rule's cover. PERMISSION_DENIED when the mode denies reading or the read rule cannot be
     * proven to hold on every row the query could return.
     */
    public Filter readFilter(TableDeclaration t, Actor a, Filter where) {
        Objects.requireNonNull(where, "where");
        if (a.server()) {
            return Filter.all();
        }
        checkOp(t, a, RowOp.QUERY);
        switch (t.mode()) {
            case PRIVATE:
                return Filter.compare(TableDeclaration.UID, Cmp.EQ, TextNode.valueOf(a.uid()));
            case RULES:
                return RuleCover.cover(t, a.uid(), where).orElseThrow(() -> denied("Table " + t.name()
                        + ": the query is not covered by the read rule (" + t.rule(RuleOp.READ).source()
                        + "); add where conditions that imply the rule, or query rows it lets you read."));
            default:
                return Filter.all();
        }
    }

    private static ApiException denied(String message) {
        return new ApiException(ErrorCode.PERMISSION_DENIED, message);
    }
}
