package com.fcminiapp.localcloud.standin;

import org.h2.mvstore.MVStore;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes the writes to one {@link MVStore} durable before a stand-in acknowledges them: a writer that changed a map
 * calls {@link #written()}, which returns only when that change is in the file and fsync'd. Concurrent writers
 * share commits (group commit): one commit and one fsync cover every change made before it started.
 */
public final class DurableStore {

    private final MVStore store;
    /** Numbers every change that was applied in memory; a change's number is its ticket. */
    private final AtomicLong applied = new AtomicLong();
    /** The highest ticket known to be on disk. */
    private volatile long durable;
    private final Object flushLock = new Object();

    /**
     * Durability for the writes one component makes to {@code store}. Components sharing a store may each have
     * their own: a commit always takes the whole store, so theirs only cost an extra, cheap, empty commit.
     */
    public DurableStore(MVStore store) {
        this.store = store;
    }

    /** Called after a change was applied to a map: returns once it (and every change before it) is on disk. */
    public void written() {
        markApplied();
        awaitApplied();
    }

    /**
     * Counts a change as applied; call it right after the change, under the lock readers of that data also take
     * before {@link #lastApplied()}, so a reader that saw the change gets a ticket that covers it.
     */
    public void markApplied() {
        applied.incrementAndGet();
    }

    /** The ticket of the latest change applied. */
    public long lastApplied() {
        return applied.get();
    }

    /** Returns once every change marked applied so far (by any thread) is on disk. */
    public void awaitApplied() {
        awaitDurable(applied.get());
    }

    /** Returns once the change with {@code ticket}, and every one before it, is on disk. */
    public void awaitDurable(long ticket) {
        if (durable >= ticket) {
            return;
        }
        synchronized (flushLock) {
            if (durable >= ticket) {
                // a commit that started after this change was applied already covered it
                return;
            }
            long covered = applied.get();
            flush();
            durable = covered;
        }
    }

    /**
     * Commits and fsyncs. {@code commit()} writes synchronously, but it returns at once when the background
     * auto-commit has already taken the changes and is still writing them; the file-store operation waits for
     * that write to finish before the fsync.
     */
    private void flush() {
        store.commit();
        if (store.getFileStore() != null) {
            store.executeFilestoreOperation(store::sync);
        }
    }
}
