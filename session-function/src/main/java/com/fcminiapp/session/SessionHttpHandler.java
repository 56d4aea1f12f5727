package com.fcminiapp.session;

import com.fcminiapp.common.fc.BoundedBody;
import com.aliyun.fc.runtime.Context;
import com.fcminiapp.kit.runtime.Answer;
import com.aliyun.fc.runtime.HttpRequestHandler;
import com.aliyun.fc.runtime.StreamRequestHandler;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;

/**
 * FC 2.0 entry point (template.yml). Over its HTTP trigger: POST a JSON body, get the JSON answer and its status.
 * Invoked directly (the invoke API, or local-cloud), the event is the same JSON and the result the same answer.
 */
public class SessionHttpHandler extends SessionHandlerSupport implements HttpRequestHandler, StreamRequestHandler {

    public SessionHttpHandler() {
        super();
    }

    public SessionHttpHandler(Map<String, String> environment) {
        super(environment, Clock.systemUTC());
    }

    public SessionHttpHandler(Map<String, String> environment, Clock clock) {
        super(environment, clock);
    }

    @Override
    public void handleRequest(HttpServletRequest request, HttpServletResponse response, Context context)
            throws IOException {
        Answer answer;
        if (!"POST".equalsIgnoreCase(request.getMethod())) {
            answer = fail("session http", context, methodNotAllowed());
            response.setHeader("Allow", "POST");
        } else {
            answer = run("session http", context,
                    () -> BoundedBody.read(request.getInputStream(), SessionActions.MAX_BODY_BYTES));
        }
        response.setStatus(answer.status());
        response.setContentType("application/json; charset=utf-8");
        response.setHeader(CACHE_CONTROL, NO_STORE);
        response.setContentLength(answer.body().length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(answer.body());
        }
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        invoke(input, output, context);
    }

    static ApiException methodNotAllowed() {
        return new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "Use POST with a JSON body.");
    }
}
