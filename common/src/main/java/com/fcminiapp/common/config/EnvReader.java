package com.fcminiapp.common.config;

import java.net.URI;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads one function's variables out of an environment and collects every problem before failing, so one deploy
 * fixes them all. It sees only the variables its function owns: asking for another is a programming error.
 */
final class EnvReader {

    static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");

    private final Map<String, String> env;
    private final Set<String> owned;
    private final List<String> problems = new ArrayList<>();

    EnvReader(Map<String, String> env, List<String> owned) {
        this.owned = Set.copyOf(owned);
        this.env = env;
    }

    private String raw(String name) {
        if (!owned.contains(name)) {
            throw new IllegalStateException(name + " is not a variable of this function");
        }
        String value = env.get(name);
        if (value == null) {
            return null;
        }
        value = value.trim();
        return value.isEmpty() ? null : value;
    }

    String required(String name, Pattern pattern, String what) {
        String value = raw(name);
        if (value == null) {
            problems.add(name + " is missing (expected " + what + ")");
            return null;
        }
        if (!pattern.matcher(value).matches()) {
            problems.add(name + " is not " + what);
            return null;
        }
        return value;
    }

    Optional<String> optional(String name, Pattern pattern, String what) {
        String value = raw(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!pattern.matcher(value).matches()) {
            problems.add(name + " is not " + what);
            return Optional.empty();
        }
        return Optional.of(value);
    }

    String requiredUrl(String name) {
        String value = raw(name);
        if (value == null) {
            problems.add(name + " is missing (expected an http(s) URL)");
            return null;
        }
        return checkUrl(name, value);
    }

    String url(String name, String defaultValue) {
        String value = raw(name);
        return value == null ? defaultValue : checkUrl(name, value);
    }

    private String checkUrl(String name, String value) {
        try {
            URI uri = URI.create(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return value;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        problems.add(name + " is not an http(s) URL");
        return null;
    }

    long integer(String name, long defaultValue, long min, long max) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(name + " must be a whole number from " + min + " to " + max);
        return defaultValue;
    }

    boolean bool(String name, boolean defaultValue) {
        String value = raw(name);
        if (value == null) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        problems.add(name + " must be true or false");
        return defaultValue;
    }

    List<String> tableList(String name, String defaultValue) {
        String value = raw(name);
        Set<String> tables = new LinkedHashSet<>();
        for (String part : (value == null ? defaultValue : value).split(",")) {
            String table = part.trim();
            if (!TABLE_NAME.matcher(table).matches()) {
                problems.add(name + " must be a comma-separated list of Tablestore table names");
                return List.of();
            }
            tables.add(table);
        }
        return List.copyOf(tables);
    }

    String rsaKey(String name, boolean isPrivate) {
        String value = raw(name);
        String what = isPrivate ? "a base64 PKCS#8 RSA private key (no PEM header)"
                : "a base64 X.509 RSA public key (no PEM header)";
        if (value == null) {
            problems.add(name + " is missing (expected " + what + ")");
            return null;
        }
        String compact = value.replaceAll("\\s+", "");
        try {
            byte[] der = Base64.getDecoder().decode(compact);
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            if (isPrivate) {
                rsa.generatePrivate(new PKCS8EncodedKeySpec(der));
            } else {
                rsa.generatePublic(new X509EncodedKeySpec(der));
            }
            return compact;
        } catch (Exception e) {
            problems.add(name + " is not " + what);
            return null;
        }
    }

    void finish() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
