package com.fcminiapp.common.fc;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionComputeLogger;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The instance holder's stop (FC's PreStop): closes what was built once, and refuses calls after it. */
class FunctionInstanceTest {

    /** Something an instance builds, counting its closes; its close fails when asked to. */
    static final class Built implements AutoCloseable {
        final AtomicInteger closes = new AtomicInteger();
        private final RuntimeException failure;

        Built(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        public void close() {
            closes.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
        }
    }

    private final AtomicInteger builds = new AtomicInteger();
    private final List<Built> built = new ArrayList<>();

    private FunctionInstance<Built> holder(RuntimeException closeFailure) {
        return new FunctionInstance<>(context -> {
            builds.incrementAndGet();
            Built b = new Built(closeFailure);
            built.add(b);
            return b;
        });
    }

    @Test
    void stopClosesTheBuiltInstanceOnceThoughCalledTwice() {
        FunctionInstance<Built> holder = holder(null);
        Built first = holder.get(null);

        holder.stop(null);
        holder.stop(null);

        assertThat(first.closes).hasValue(1);
        assertThat(builds).hasValue(1);
    }

    @Test
    void aCallAfterStopIsRefusedAsRetryableWithoutBuildingAgain() {
        FunctionInstance<Built> holder = holder(null);
        holder.get(null);
        holder.stop(null);

        assertThatThrownBy(() -> holder.get(null)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE))
                .hasMessage("This function instance is stopping; call again to reach a new instance.");
        assertThat(builds).hasValue(1);
    }

    @Test
    void stopBeforeAnyBuildClosesNothingAndLaterCallsAreRefused() {
        FunctionInstance<Built> holder = holder(null);

        holder.stop(null);

        assertThatThrownBy(() -> holder.get(null)).isInstanceOf(ApiException.class);
        assertThat(builds).hasValue(0);
        assertThat(built).isEmpty();
    }

    @Test
    void aFailingCloseIsOneLogLineNamingOnlyTheFailuresClassAndTheInstanceStaysStopped() {
        FunctionInstance<Built> holder = holder(new IllegalStateException("secret-token-in-an-sdk-message"));
        Built first = holder.get(null);
        List<String> lines = new ArrayList<>();
        Context context = contextLoggingInto(lines);

        holder.stop(context);
        holder.stop(context);

        assertThat(first.closes).hasValue(1);
        assertThat(lines).containsExactly("preStop: closing the instance's clients failed (IllegalStateException); "
                + "the instance stops anyway");
        assertThatThrownBy(() -> holder.get(null)).isInstanceOf(ApiException.class);
    }

    /** An FC context whose logger adds each line to {@code lines}; every other method answers null. */
    private static Context contextLoggingInto(List<String> lines) {
        FunctionComputeLogger logger = (FunctionComputeLogger) Proxy.newProxyInstance(
                FunctionInstanceTest.class.getClassLoader(), new Class<?>[] {FunctionComputeLogger.class},
                (proxy, method, args) -> {
                    if (args != null && args.length == 1 && args[0] instanceof String) {
                        lines.add((String) args[0]);
                    }
                    return null;
                });
        return (Context) Proxy.newProxyInstance(FunctionInstanceTest.class.getClassLoader(),
                new Class<?>[] {Context.class}, (proxy, method, args) ->
                        method.getName().equals("getLogger") ? logger : null);
    }
}
