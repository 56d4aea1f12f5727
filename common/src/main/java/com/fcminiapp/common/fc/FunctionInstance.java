package com.fcminiapp.common.fc;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionComputeLogger;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;

import java.util.function.Function;

/**
 * What one FC instance builds once: by the initializer, or by the first request when no initializer is configured.
 * Later calls get the same object; a failed build is tried again on the next call, as FC starts a new instance.
 * {@link #stop} (FC's PreStop) closes what was built, once; a call after it is refused instead of rebuilding.
 */
public final class FunctionInstance<T extends AutoCloseable> {

    static final String STOPPED_MESSAGE = "This function instance is stopping; call again to reach a new instance.";

    private final Function<Context, T> factory;
    private volatile T instance;
    private volatile boolean stopped;

    public FunctionInstance(Function<Context, T> factory) {
        this.factory = factory;
    }

    /** An instance assembled elsewhere (tests with their own collaborators). */
    public static <T extends AutoCloseable> FunctionInstance<T> of(T instance) {
        FunctionInstance<T> holder = new FunctionInstance<>(context -> instance);
        holder.instance = instance;
        return holder;
    }

    /**
     * The instance, built on first use.
     *
     * @throws ApiException UPSTREAM_UNAVAILABLE once {@link #stop} ran: its clients are closed, and a new build
     *                      here would leave threads behind that nothing stops
     */
    public T get(Context context) {
        T built = instance;
        if (built == null || stopped) {
            synchronized (this) {
                if (stopped) {
                    throw new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE, STOPPED_MESSAGE);
                }
                built = instance;
                if (built == null) {
                    built = factory.apply(context);
                    instance = built;
                }
            }
        }
        return built;
    }

    /**
     * Closes what this instance built (nothing when it was never built) and refuses later calls; a second call does
     * nothing. Never throws: FC stops the instance anyway, so a failed close is one log line naming only the
     * failure's class (an SDK's message may quote a request).
     */
    public void stop(Context context) {
        T built;
        synchronized (this) {
            if (stopped) {
                return;
            }
            stopped = true;
            built = instance;
            instance = null;
        }
        if (built == null) {
            return;
        }
        try {
            built.close();
        } catch (Exception | LinkageError e) {
            log(context, "preStop: closing the instance's clients failed (" + e.getClass().getSimpleName()
                    + "); the instance stops anyway");
        }
    }

    /** On the invocation's FC logger, as ErrorMapper logs (FC always passes one; a test may pass no context). */
    private static void log(Context context, String line) {
        FunctionComputeLogger logger = context == null ? null : context.getLogger();
        if (logger != null) {
            logger.warn(line);
        }
    }
}
