package com.fcminiapp.kit.internal;

import com.fcminiapp.common.session.SessionResolver;
import com.fcminiapp.common.users.UserStore;
import com.fcminiapp.kit.AppFunction;

/** One instance's app function with the session check that runs before it and the users' records it may read. */
public final class AppInstance {

    private final SessionResolver sessions;
    private final AppFunction function;
    private final UserStore users;

    AppInstance(SessionResolver sessions, AppFunction function, UserStore users) {
        this.sessions = sessions;
        this.function = function;
        this.users = users;
    }

    public SessionResolver sessions() {
        return sessions;
    }

    public AppFunction function() {
        return function;
    }

    /** The users table (read only: phone numbers for {@code Caller.phone()}). */
    public UserStore users() {
        return users;
    }
}
