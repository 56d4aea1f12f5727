package com.fcminiapp.kit;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.PreStopHandler;
import com.aliyun.fc.runtime.StreamRequestHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The FC entry point of an app function: a team subclasses it with its function's constructor. The event is
 * {@code {"sid", "input"}}; the session is checked before any of the team's code runs, and the answer is
 * {@code {"data": <result>}} or the contract's {@code {"error": …}} (never thrown). Handler strings:
 * {@code pkg.MyHandler::handleRequest}, initializer {@code ::initialize}, PreStop {@code ::preStop}.
 * <pre>
 * public class CheckinHandler extends AppHandler {
 *     public CheckinHandler() { super(Checkin::new); }
 *     public CheckinHandler(Map&lt;String, String&gt; env) { super(env, Checkin::new); }
 * }
 * </pre>
 */
public abstract class AppHandler implements StreamRequestHandler, FunctionInitializer, PreStopHandler {

    private final Map<String, String> env;
    private final Clock clock;
    private final Function<Kit, AppFunction> factory;

    /** Production: the environment FC gives the process. */
    protected AppHandler(Function<Kit, AppFunction> factory) {
        this(System.getenv(), Clock.systemUTC(), factory);
    }

    /** local-cloud and tests hand the function its own environment. */
    protected AppHandler(Map<String, String> env, Function<Kit, AppFunction> factory) {
        this(env, Clock.systemUTC(), factory);
    }

    protected AppHandler(Map<String, String> env, Clock clock, Function<Kit, AppFunction> factory) {
        this.env = Map.copyOf(env);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public final void initialize(Context context) {
        throw new UnsupportedOperationException("the kit runtime follows in the next commit");
    }

    @Override
    public final void preStop(Context context) {
        throw new UnsupportedOperationException("the kit runtime follows in the next commit");
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        throw new UnsupportedOperationException("the kit runtime follows in the next commit");
    }
}
