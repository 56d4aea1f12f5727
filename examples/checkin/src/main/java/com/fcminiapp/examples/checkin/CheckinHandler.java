package com.fcminiapp.examples.checkin;

import com.fcminiapp.kit.AppHandler;

import java.time.Clock;
import java.util.Map;

/**
 * FC entry of the {@code checkin} function ({@link CheckinFunction}): handler
 * {@code com.fcminiapp.examples.checkin.CheckinHandler::handleRequest}, initializer {@code ::initialize}, PreStop
 * {@code ::preStop}.
 */
public class CheckinHandler extends AppHandler {

    /** Production: FC's environment. */
    public CheckinHandler() {
        super(CheckinFunction::new);
    }

    /** local-cloud and tests: the function's own environment. */
    public CheckinHandler(Map<String, String> env) {
        super(env, CheckinFunction::new);
    }

    /** Tests: a clock set to the moment under test (the day boundary). */
    CheckinHandler(Map<String, String> env, Clock clock) {
        super(env, clock, CheckinFunction::new);
    }
}
