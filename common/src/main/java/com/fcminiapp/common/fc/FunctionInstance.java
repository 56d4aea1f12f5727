package com.fcminiapp.common.fc;

import com.aliyun.fc.runtime.Context;

import java.util.function.Function;

/**
 * What one FC instance builds once: by the initializer, or by the first request when no initializer is configured.
 * Later calls get the same object; a failed build is tried again on the next call, as FC starts a new instance.
 */
public final class FunctionInstance<T> {

    private final Function<Context, T> factory;
    private volatile T instance;

    public FunctionInstance(Function<Context, T> factory) {
        this.factory = factory;
    }

    /** An instance assembled elsewhere (tests with their own collaborators). */
    public static <T> FunctionInstance<T> of(T instance) {
        FunctionInstance<T> holder = new FunctionInstance<>(context -> instance);
        holder.instance = instance;
        return holder;
    }

    public T get(Context context) {
        T built = instance;
        if (built == null) {
            synchronized (this) {
                built = instance;
                if (built == null) {
                    built = factory.apply(context);
                    instance = built;
                }
            }
        }
        return built;
    }
}
