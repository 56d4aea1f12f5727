package com.fcminiapp.kit;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.PreStopHandler;
import com.aliyun.fc.runtime.StreamRequestHandler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.fc.BoundedBody;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.kit.internal.AppAssembly;
import com.fcminiapp.kit.internal.AppInstance;
import com.fcminiapp.kit.internal.ResultJson;
import com.fcminiapp.kit.runtime.Answer;
import com.fcminiapp.kit.runtime.FunctionRuntime;

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

    /** Larger events are refused before parsing. */
    public static final int MAX_EVENT_BYTES = FunctionRuntime.MAX_EVENT_BYTES;

    private static final String OPERATION = "app";

    private final FunctionRuntime<AppInstance> runtime;

    /** Production: the environment FC gives the process. */
    protected AppHandler(Function<Kit, AppFunction> factory) {
        this(System.getenv(), Clock.systemUTC(), factory);
    }

    /** local-cloud and tests hand the function its own environment. */
    protected AppHandler(Map<String, String> env, Function<Kit, AppFunction> factory) {
        this(env, Clock.systemUTC(), factory);
    }

    /** Tests hand it a clock too (session expiry, the kit's {@link Kit#clock()}). */
    protected AppHandler(Map<String, String> env, Clock clock, Function<Kit, AppFunction> factory) {
        this.runtime = new FunctionRuntime<>(env, Objects.requireNonNull(clock, "clock"), new AppAssembly(factory));
    }

    /** FC's initializer: builds the kit and the function once; a bad configuration fails here naming every problem. */
    @Override
    public final void initialize(Context context) {
        runtime.initialize(context);
    }

    /** FC calls it before it stops the instance: every client the kit built ends its threads. */
    @Override
    public final void preStop(Context context) {
        runtime.preStop(context);
    }

    /** One invocation: {@code {"sid", "input"}} in, {@code {"data"}} or {@code {"error"}} out, never thrown. */
    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Answer answer = runtime.run(OPERATION, context, app -> handle(app, input, context));
        output.write(answer.body());
        output.flush();
    }

    private static JsonNode handle(AppInstance app, InputStream input, Context context) throws Exception {
        ObjectNode event = Json.parseObject(BoundedBody.read(input, MAX_EVENT_BYTES));
        JsonNode sid = event.get("sid");
        // the session decides who calls; a uid or userId anywhere in the event is only data
        String uid = app.sessions().require(sid != null && sid.isTextual() ? sid.asText() : null).uid();
        Caller caller = new Caller(uid, context == null ? null : context.getRequestId(),
                context == null ? null : context.getLogger(), app.users());
        JsonNode in = event.get("input");
        Object result = app.function().handle(caller, in == null || in.isNull() ? null : in);
        JsonNode data;
        try {
            data = ResultJson.toJson(result);
        } catch (ResultJson.UnsupportedResult e) {
            if (caller.logger() != null) {
                // the type only: a value could hold anything
                caller.logger().error(OPERATION + " result: " + e.getMessage());
            }
            throw e;
        }
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.set("data", data);
        return answer;
    }
}
