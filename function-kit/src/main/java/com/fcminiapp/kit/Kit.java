package com.fcminiapp.kit;

import java.time.Clock;

/**
 * What the kit hands a function's constructor when the instance starts (built once per instance): the tables and
 * files the function reaches, the clock, and the team's own environment variables.
 */
public interface Kit {

    /**
     * A data table declared in {@code APP_TABLES}; any other name fails the initializer with a
     * {@link com.fcminiapp.common.config.ConfigException} naming it.
     */
    Table table(String name);

    /**
     * The users' files. The OSS clients are built on the first file operation; without {@code OSS_BUCKET} every
     * file operation is refused (INTERNAL, with a log line naming OSS_BUCKET).
     */
    Files files();

    Clock clock();

    /** The team's own environment variables; problems with them fail the initializer, all named at once. */
    Variables variables();
}
