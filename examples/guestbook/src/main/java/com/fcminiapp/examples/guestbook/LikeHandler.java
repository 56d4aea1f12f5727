package com.fcminiapp.examples.guestbook;

import com.fcminiapp.kit.AppHandler;

import java.util.Map;

/** FC entry point of like: the kit checks the caller's session, then runs {@link LikeFunction}. */
public class LikeHandler extends AppHandler {

    /** FC: the environment FC gives the instance. */
    public LikeHandler() {
        super(LikeFunction::new);
    }

    /** local-cloud and tests hand the function its own environment. */
    public LikeHandler(Map<String, String> env) {
        super(env, LikeFunction::new);
    }
}
