package com.fcminiapp.examples.guestbook;

import com.fcminiapp.kit.AppHandler;

import java.util.Map;

/** FC entry point of secret: the kit checks the caller's session, then runs {@link SecretFunction}. */
public class SecretHandler extends AppHandler {

    /** FC: the environment FC gives the instance. */
    public SecretHandler() {
        super(SecretFunction::new);
    }

    /** local-cloud and tests hand the function its own environment. */
    public SecretHandler(Map<String, String> env) {
        super(env, SecretFunction::new);
    }
}
