package com.fcminiapp.kit;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** A team's handler as the scaffold writes one, around a function a test gives it; it keeps the Kit it was given. */
final class TestHandler extends AppHandler {

    final AtomicReference<Kit> kit;

    private TestHandler(Map<String, String> env, Clock clock, Function<Kit, AppFunction> factory,
                        AtomicReference<Kit> kit) {
        super(env, clock, k -> {
            kit.set(k);
            return factory.apply(k);
        });
        this.kit = kit;
    }

    static TestHandler of(Map<String, String> env, Clock clock, Function<Kit, AppFunction> factory) {
        return new TestHandler(env, clock, factory, new AtomicReference<>());
    }

    static TestHandler of(Map<String, String> env, Clock clock, AppFunction function) {
        return of(env, clock, k -> function);
    }

    /** The Kit the function's constructor got (after the initializer ran). */
    Kit kit() {
        return kit.get();
    }
}
