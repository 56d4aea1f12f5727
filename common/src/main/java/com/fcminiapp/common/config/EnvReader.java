package com.fcminiapp.common.config;

import com.fcminiapp.common.tables.DeclarationException;
import com.fcminiapp.common.tables.TablesDeclaration;

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
 * fixes them all. A function's own reader sees only the variables its function owns: asking for another is a
 * programming error. An app team's reader ({@link #others}) sees every variable but the kit's.
 */
public final class EnvReader {

    static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");
    /** An OSS bucket name. */
    static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
    /** What a team may name its own variables. */
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private final Map<String, String> env;
    private final Set<String> owned;
    private final Set<String> reserved;
    private final List<String> problems = new ArrayList<>();

    EnvReader(Map<String, String> env, List<String> owned) {
        this.owned = Set.copyOf(owned);
        this.reserved = Set.of();
        this.env = env;
    }

    private EnvReader(Map<String, String> env, Set<String> reserved) {
        this.owned = null;
        this.reserved = Set.copyOf(reserved);
        this.env = env;
    }

    /**
     * A reader of a team's own variables: any name but {@code reserved} (the kit's), whose reading is a problem
     * rather than an error, since the name comes from the team's code.
     */
    public static EnvReader others(Map<String, String> env, List<String> reserved) {
        return new EnvReader(env, Set.copyOf(reserved));
    }

    /**
     * Whether {@code name} may be read here. A function's own reader fails on a name it does not own (a programming
     * error); a team's reader records a bad or reserved name as a problem, since the name comes from the team's code.
     */
    private boolean readable(String name) {
        if (owned != null) {
            if (!owned.contains(name)) {
                throw new IllegalStateException(name + " is not a variable of this function");
            }
            return true;
        }
        if (name == null || !VARIABLE_NAME.matcher(name).matches()) {
            String shown = name == null ? "null" : name.length() > 40 ? name.substring(0, 40) + "…" : name;
            problems.add("a variable name must be a letter or _, then up to 127 letters, digits or _ (not "
                    + shown.replaceAll("\\p{Cntrl}", "?") + ")");
            return false;
        }
        if (reserved.contains(name)) {
            problems.add(name + " is a variable of the function kit; give the function's own variable another name");
            return false;
        }
        return true;
    }

    /** The trimmed value, or null when missing or blank. */
    private String raw(String name) {
        String value = env.get(name);
        if (value == null) {
            return null;
        }
        value = value.trim();
        return value.isEmpty() ? null : value;
    }

    /** The value, which must match {@code pattern}; missing or not matching is a problem (null then). */
    public String required(String name, Pattern pattern, String what) {
        if (!readable(name)) {
            return null;
        }
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

    /** The value when present, which must match {@code pattern} (a problem otherwise: empty then). */
    public Optional<String> optional(String name, Pattern pattern, String what) {
        if (!readable(name)) {
            return Optional.empty();
        }
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
        if (!readable(name)) {
            return null;
        }
        String value = raw(name);
        if (value == null) {
            problems.add(name + " is missing (expected an http(s) URL)");
            return null;
        }
        return checkUrl(name, value);
    }

    String url(String name, String defaultValue) {
        if (!readable(name)) {
            return defaultValue;
        }
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

    /** A whole number from {@code min} to {@code max}, {@code defaultValue} when missing (and after a problem). */
    public long integer(String name, long defaultValue, long min, long max) {
        if (!readable(name)) {
            return defaultValue;
        }
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
        if (!readable(name)) {
            return defaultValue;
        }
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

    /** A comma-separated list of table names; an empty {@code defaultValue} allows none (an empty list). */
    List<String> tableList(String name, String defaultValue) {
        if (!readable(name)) {
            return List.of();
        }
        String value = raw(name);
        if (value == null && defaultValue.isEmpty()) {
            return List.of();
        }
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

    /**
     * A table declaration ({@link TablesDeclaration#parse}: the JSON of tables.json or a comma list of names);
     * {@code defaultValue} when missing (null: none, then null is returned). A bad one is a problem naming the
     * variable and the declaration's message (the table and what is wrong, never a value).
     */
    TablesDeclaration declaration(String name, String defaultValue) {
        if (!readable(name)) {
            return null;
        }
        String value = raw(name);
        if (value == null && defaultValue == null) {
            return null;
        }
        try {
            return TablesDeclaration.parse(value == null ? defaultValue : value);
        } catch (DeclarationException e) {
            problems.add(name + " is not a valid table declaration: " + e.getMessage());
            return null;
        }
    }

    String rsaKey(String name, boolean isPrivate) {
        if (!readable(name)) {
            return null;
        }
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

    /**
     * An optional AES key: base64 of 16, 24 or 32 bytes, returned compact (no blanks); null when missing or bad
     * (a problem naming only the variable then).
     */
    String aesKey(String name) {
        if (!readable(name)) {
            return null;
        }
        String value = raw(name);
        if (value == null) {
            return null;
        }
        String compact = value.replaceAll("\\s+", "");
        try {
            int length = Base64.getDecoder().decode(compact).length;
            if (length == 16 || length == 24 || length == 32) {
                return compact;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        problems.add(name + " is not a base64 AES key (16, 24 or 32 bytes)");
        return null;
    }

    /** Records a problem found by the caller (a rule across variables), reported with the others. */
    void problem(String problem) {
        problems.add(problem);
    }

    /** The problems found so far, in the order found. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Fails with every problem found, if any. */
    public void finish() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
