package com.fcminiapp.session;

import com.fcminiapp.common.fc.BoundedBody;
import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.HttpRequestHandler;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.error.ErrorCode;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;

/** FC 2.0 HTTP trigger entry point (template.yml): POST a JSON body, get the JSON answer and its status. */
public class SessionHttpHandler extends SessionHandlerSupport implements HttpRequestHandler {

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
        response.setStatus(answer.status);
        response.setContentType("application/json; charset=utf-8");
        response.setContentLength(answer.body.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(answer.body);
        }
    }

    static ApiException methodNotAllowed() {
        return new ApiException(ErrorCode.METHOD_NOT_ALLOWED, "Use POST with a JSON body.");
    }
}
