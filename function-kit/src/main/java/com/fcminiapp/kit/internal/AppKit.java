package com.fcminiapp.kit.internal;

import com.fcminiapp.common.config.ConfigException;
import com.fcminiapp.kit.Files;
import com.fcminiapp.kit.Kit;
import com.fcminiapp.kit.Table;
import com.fcminiapp.kit.Variables;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kit an app function's constructor gets. While the constructor runs, an undeclared table is a problem named in
 * the initializer's one failure (with the variables' problems); after it ({@link #seal}) it fails the call at once.
 */
final class AppKit implements Kit {

    private final List<String> declared;
    private final RowService rows;
    private final QueryService queries;
    private final Files files;
    private final Clock clock;
    private final TeamVariables variables;
    private final List<String> problems = new ArrayList<>();
    private boolean sealed;

    /**
     * @param declared the tables of APP_TABLES, or null when APP_TABLES is bad (no name is checked then)
     * @param rows     null when no table is declared, or when the kit could not build its clients
     * @param queries null when the kit could not build its clients
     */
    AppKit(List<String> declared, RowService rows, QueryService queries, Files files, Clock clock,
           TeamVariables variables) {
        this.declared = declared == null ? null : List.copyOf(declared);
        this.rows = rows;
        this.queries = queries;
        this.files = files;
        this.clock = clock;
        this.variables = variables;
    }

    @Override
    public synchronized Table table(String name) {
        if (declared != null && !declared.contains(name)) {
            String problem = "table " + shown(name) + " is not declared in APP_TABLES"
                    + (declared.isEmpty() ? " (it declares none)" : " (" + String.join(", ", declared) + ")");
            if (sealed) {
                throw new ConfigException(List.of(problem));
            }
            problems.add(problem);
        }
        return new KitTable(rows, queries, name);
    }

    @Override
    public Files files() {
        return files;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Variables variables() {
        return variables;
    }

    /** The problems the constructor met: undeclared tables, then the team's variables. */
    synchronized List<String> problems() {
        List<String> all = new ArrayList<>(problems);
        all.addAll(variables.problems());
        return all;
    }

    synchronized void seal() {
        sealed = true;
        variables.seal();
    }

    private static String shown(String name) {
        if (name == null) {
            return "null";
        }
        String cut = name.length() > 64 ? name.substring(0, 64) + "…" : name;
        return "\"" + cut.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
