package com.fcminiapp.common.error;

import java.lang.reflect.Method;
import java.util.regex.Pattern;

/**
 * Reads the service error code off an SDK exception without naming the SDK's classes, so that a function
 * whose jar lacks an SDK (the db function has no Alipay SDK) can still log any cause.
 */
final class UpstreamErrors {

    private static final Pattern SAFE_CODE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private UpstreamErrors() {
    }

    static String codeOf(Throwable cause) {
        for (String getter : new String[] {"getErrorCode", "getErrCode"}) {
            try {
                Method m = cause.getClass().getMethod(getter);
                Object value = m.invoke(cause);
                if (value != null && SAFE_CODE.matcher(value.toString()).matches()) {
                    return value.toString();
                }
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // not every exception has a code
            }
        }
        return null;
    }
}
