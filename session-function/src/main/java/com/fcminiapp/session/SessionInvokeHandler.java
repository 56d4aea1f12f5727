package com.fcminiapp.session;

import com.fcminiapp.common.fc.BoundedBody;
import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.StreamRequestHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;

/**
 * FC entry point for direct invocation: the event is the contract's request JSON, the result its answer JSON
 * (an error is a {@code {"error": …}} result, never a thrown exception).
 */
public class SessionInvokeHandler extends SessionHandlerSupport implements StreamRequestHandler {

    public SessionInvokeHandler() {
        super();
    }

    public SessionInvokeHandler(Map<String, String> environment) {
        super(environment, Clock.systemUTC());
    }

    public SessionInvokeHandler(Map<String, String> environment, Clock clock) {
        super(environment, clock);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        invoke(input, output, context);
    }
}
