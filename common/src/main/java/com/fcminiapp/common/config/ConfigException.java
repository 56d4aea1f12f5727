package com.fcminiapp.common.config;

import java.util.List;

/** The environment is incomplete or wrong; the message names every bad or missing variable, never a value. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /** @param problems each names a variable (or a table) and what is wrong with it, never a value */
    public ConfigException(List<String> problems) {
        super("Invalid function configuration: " + String.join("; ", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    /** Each problem, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
