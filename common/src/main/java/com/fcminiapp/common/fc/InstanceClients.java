package com.fcminiapp.common.fc;

import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * The SDK clients one function instance built, shut down together when the instance stops (FC's PreStop) or when
 * building the instance failed half way, so no client's threads outlive the instance that made them.
 */
public final class InstanceClients implements AutoCloseable {

    private final Deque<Runnable> shutdowns = new ArrayDeque<>();
    private boolean closed;

    /**
     * Registers {@code client} to be shut down with {@code shutdown}, and hands it back. A client built after
     * {@link #close} (one built on first use by a request racing PreStop) is shut down at once, and the call is
     * refused as retryable: nothing would stop its threads later.
     */
    public <C> C add(C client, Consumer<? super C> shutdown) {
        synchronized (this) {
            if (!closed) {
                shutdowns.push(() -> shutdown.accept(client));
                return client;
            }
        }
        shutdown.accept(client);
        throw new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE, FunctionInstance.STOPPED_MESSAGE);
    }

    /**
     * Shuts every client down, the last built first, each even when an earlier one failed; once only. The first
     * failure is thrown at the end with the others attached.
     */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        RuntimeException failure = null;
        while (true) {
            Runnable next;
            synchronized (this) {
                next = shutdowns.poll();
            }
            if (next == null) {
                break;
            }
            try {
                next.run();
            } catch (RuntimeException | LinkageError e) {
                RuntimeException wrapped = e instanceof RuntimeException ? (RuntimeException) e
                        : new IllegalStateException(e.getClass().getSimpleName(), e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Shuts every client down after building the instance failed; a close failure is attached to {@code failure}. */
    public void closeAfter(Throwable failure) {
        try {
            close();
        } catch (RuntimeException closing) {
            failure.addSuppressed(closing);
        }
    }
}
