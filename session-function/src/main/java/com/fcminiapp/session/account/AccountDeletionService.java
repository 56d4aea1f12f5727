package com.fcminiapp.session.account;

import com.alicloud.openservices.tablestore.SyncClient;
import com.aliyun.oss.OSS;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import com.fcminiapp.common.session.SessionRecord;
import com.fcminiapp.common.session.SessionResolver;
import com.fcminiapp.common.session.SessionStore;
import com.fcminiapp.common.users.UserRecord;
import com.fcminiapp.common.users.UserStore;
import com.fcminiapp.common.tables.TablesDeclaration;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Deletes a user's account: the pending mark, then every session revoked, every row in every declared and app table, every
 * file of both folders, the session rows, and last the users row. Each step is idempotent and the mark goes last, so
 * a failure anywhere leaves it and a retry (deleteAccount with the same, now revoked, session) or the user's next
 * login finishes the job. Nothing of another user is touched: every read and delete is keyed or conditioned on the uid.
 */
public final class AccountDeletionService {

    static final String RESUMES = " is unavailable or timed out; the account deletion is recorded and finishes when"
            + " you retry deleteAccount or log in again.";

    private final SessionResolver resolver;
    private final SessionStore sessions;
    private final UserStore users;
    private final TableRowsEraser rows;
    private final FileEraser files;
    private final Clock clock;

    AccountDeletionService(SessionResolver resolver, SessionStore sessions, UserStore users, TableRowsEraser rows,
                           FileEraser files, Clock clock) {
        this.resolver = resolver;
        this.sessions = sessions;
        this.users = users;
        this.rows = rows;
        this.files = files;
        this.clock = clock;
    }

    /**
     * The service over the real stores: {@code tablestore} reads and deletes the rows of {@code dataTables} and
     * of {@code appTables} (the tables only app functions name, private), and {@code oss} (asked for on the first
     * deletion only) the files in {@code bucket}.
     */
    public static AccountDeletionService create(SessionStore sessions, UserStore users, SyncClient tablestore,
                                                TablesDeclaration dataTables, List<String> appTables,
                                                Supplier<OSS> oss, String bucket, Clock clock) {
        return new AccountDeletionService(new SessionResolver(sessions, clock), sessions, users,
                new TableRowsEraser(tablestore, dataTables, appTables), new FileEraser(oss, bucket), clock);
    }

    /**
     * The deleteAccount action: the session may be revoked already (a retry after a failure half way), never
     * expired or unknown (UNAUTHENTICATED, also once the deletion has finished).
     */
    public void deleteAccount(Object sessionId) {
        SessionRecord caller = resolver.requireForDeletion(sessionId);
        // a failure here changed nothing: the store's own "retry" answer is the right one
        users.markDeleting(caller.uid(), clock.instant());
        finish(caller.uid(), caller.idHash());
    }

    /** Finishes the pending deletion of {@code uid} (login's check); steps 2 to 6. */
    public void finish(String uid) {
        finish(uid, null);
    }

    private void finish(String uid, String callerIdHash) {
        Set<String> idHashes = new LinkedHashSet<>();
        resumable("Tablestore", () -> users.find(uid).map(UserRecord::sessions)
                .ifPresent(s -> idHashes.addAll(s.keySet())));
        if (callerIdHash != null) {
            idHashes.add(callerIdHash);
        }
        Instant now = clock.instant();
        // from here on every db, app, refresh and phone call of the user is UNAUTHENTICATED
        resumable("Tablestore", () -> idHashes.forEach(h -> sessions.revoke(h, now)));
        resumable("Tablestore", () -> rows.erase(uid));
        resumable("OSS", () -> files.erase(uid));
        resumable("Tablestore", () -> idHashes.forEach(sessions::delete));
        // the pending record last: until here a retry or the next login finds it
        resumable("Tablestore", () -> users.delete(uid));
    }

    /** Runs one step; an upstream failure says the deletion is recorded and how it resumes. */
    private static void resumable(String service, Runnable step) {
        try {
            step.run();
        } catch (ApiException e) {
            if (e.code() != ErrorCode.UPSTREAM_UNAVAILABLE) {
                throw e;
            }
            throw new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE, service + RESUMES, e);
        }
    }
}
