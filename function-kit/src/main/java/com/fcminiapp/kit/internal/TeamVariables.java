package com.fcminiapp.kit.internal;

import com.fcminiapp.common.config.AppConfig;
import com.fcminiapp.common.config.ConfigException;
import com.fcminiapp.common.config.EnvReader;
import com.fcminiapp.kit.Variables;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A team's own variables, read through common's EnvReader: every problem is collected while the function's
 * constructor runs and named in the initializer's one failure; a problem found later (a variable read per request)
 * fails that request at once.
 */
final class TeamVariables implements Variables {

    private static final Pattern ANY = Pattern.compile("(?s).+");

    private final EnvReader reader;
    private boolean sealed;

    TeamVariables(Map<String, String> env) {
        this.reader = EnvReader.others(env, AppConfig.VARIABLES);
    }

    @Override
    public synchronized String required(String name) {
        int known = reader.problems().size();
        return checked(known, reader.required(name, ANY, "a value"));
    }

    @Override
    public synchronized String optional(String name, String defaultValue) {
        int known = reader.problems().size();
        return checked(known, reader.optional(name, ANY, "a value").orElse(defaultValue));
    }

    @Override
    public synchronized long integer(String name, long defaultValue, long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("min is above max");
        }
        int known = reader.problems().size();
        return checked(known, reader.integer(name, defaultValue, min, max));
    }

    synchronized List<String> problems() {
        return reader.problems();
    }

    /** From now on a problem fails the read at once: the initializer has already run. */
    synchronized void seal() {
        sealed = true;
    }

    /** After start, fails with the problems this read found (earlier reads' are not this request's concern). */
    private <T> T checked(int known, T value) {
        List<String> problems = reader.problems();
        if (sealed && problems.size() > known) {
            throw new ConfigException(problems.subList(known, problems.size()));
        }
        return value;
    }
}
