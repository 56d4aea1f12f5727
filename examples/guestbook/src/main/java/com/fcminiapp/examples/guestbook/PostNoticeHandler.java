package com.fcminiapp.examples.guestbook;

import com.fcminiapp.kit.AppHandler;

import java.util.Map;

/** FC entry point of post-notice: the kit checks the caller's session, then runs {@link PostNoticeFunction}. */
public class PostNoticeHandler extends AppHandler {

    /** FC: the environment FC gives the instance. */
    public PostNoticeHandler() {
        super(PostNoticeFunction::new);
    }

    /** local-cloud and tests hand the function its own environment. */
    public PostNoticeHandler(Map<String, String> env) {
        super(env, PostNoticeFunction::new);
    }
}
