package com.fcminiapp.deploy;

import java.util.regex.Pattern;

/** Function Compute's rules for the properties both descriptors set. */
final class FcProps {

    /** {@code package.Class::method}, as FC's Java runtimes take a handler or an initializer. */
    static final Pattern JAVA_HANDLER = Pattern.compile("([a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*::[a-z][A-Za-z0-9_]*");

    /**
     * Both descriptors' PreStop bound: closing the clients took up to 1.6 s (the db jar's Tablestore reactor;
     * ShadedJarIT prints it); the bound only caps what a stuck close could cost before FC stops the instance anyway.
     */
    static final int PRESTOP_TIMEOUT = 5;

    private FcProps() {
    }

    static boolean validMemory(int mb) {
        return mb >= 128 && mb <= 32768 && mb % 64 == 0;
    }

    static boolean validTimeout(int seconds) {
        return seconds >= 1 && seconds <= 86400;
    }

    /** FC 2.0 caps an initializer at 300 s (FC 3.0 at 600 s); both descriptors stay within the lower. */
    static boolean validInitializerTimeout(int seconds) {
        return seconds >= 1 && seconds <= 300;
    }
}
