package com.fcminiapp.kit.internal;

import com.fcminiapp.common.session.SessionResolver;
import com.fcminiapp.kit.AppFunction;

/** One instance's app function with the session check that runs before it. */
public final class AppInstance {

    private final SessionResolver sessions;
    private final AppFunction function;

    AppInstance(SessionResolver sessions, AppFunction function) {
        this.sessions = sessions;
        this.function = function;
    }

    public SessionResolver sessions() {
        return sessions;
    }

    public AppFunction function() {
        return function;
    }
}
