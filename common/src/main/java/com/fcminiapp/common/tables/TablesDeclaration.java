package com.fcminiapp.common.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every data table of a deployment, in declaration order (the first is the default table): the value of
 * {@code DATA_TABLES}, either the JSON declaration of {@code tables.json} (design §1) or the legacy comma list of
 * private table names. Immutable.
 */
public final class TablesDeclaration {

    /** A Tablestore table name. */
    public static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");

    private static final Set<String> TABLE_KEYS = Set.of("mode", "indexes", "rules");
    private static final Set<String> SERVER_INTEGER_FIELDS = Set.of("_createdAt", "_updatedAt");

    private final Map<String, TableDeclaration> tables;
    private final boolean declared;

    private TablesDeclaration(Map<String, TableDeclaration> tables, boolean declared) {
        this.tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        this.declared = declared;
    }

    /**
     * Parses {@code value}: a JSON object (it starts with <code>{</code>) or a comma-separated list of table names.
     *
     * @throws DeclarationException naming the table and the problem
     */
    public static TablesDeclaration parse(String value) {
        if (value == null || value.isBlank()) {
            throw new DeclarationException("the declaration is empty; name at least one table");
        }
        String trimmed = value.trim();
        if (!trimmed.startsWith("{")) {
            List<String> names = new ArrayList<>();
            for (String part : trimmed.split(",", -1)) {
                names.add(part.trim());
            }
            return of(names);
        }
        JsonNode root;
        try {
            root = Json.readTree(trimmed.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | ApiException e) {
            throw new DeclarationException("the declaration is not valid JSON (or names a key twice)");
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new DeclarationException("the declaration must be a JSON object naming at least one table");
        }
        Map<String, TableDeclaration> tables = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            tables.put(e.getKey(), table(e.getKey(), e.getValue()));
        }
        return new TablesDeclaration(tables, true);
    }

    /** The legacy form: {@code privateTables} all private, with no declared index. */
    public static TablesDeclaration of(List<String> privateTables) {
        if (privateTables.isEmpty()) {
            throw new DeclarationException("the declaration is empty; name at least one table");
        }
        Map<String, TableDeclaration> tables = new LinkedHashMap<>();
        for (String name : privateTables) {
            checkName(name);
            tables.putIfAbsent(name, new TableDeclaration(name, AccessMode.PRIVATE, Map.of(), Map.of()));
        }
        return new TablesDeclaration(tables, false);
    }

    /** The tables, in declaration order. */
    public List<TableDeclaration> tables() {
        return List.copyOf(tables.values());
    }

    /** The table names, in declaration order. */
    public List<String> names() {
        return List.copyOf(tables.keySet());
    }

    /** The table named {@code name}, or null when none is declared. */
    public TableDeclaration table(String name) {
        return name == null ? null : tables.get(name);
    }

    /** The first table: the one a row op without {@code table} uses. */
    public TableDeclaration defaultTable() {
        return tables.values().iterator().next();
    }

    /** True for a JSON declaration, false for the legacy comma list (no mode, no index declared). */
    public boolean declared() {
        return declared;
    }

    private static void checkName(String name) {
        if (name == null || !TABLE_NAME.matcher(name).matches()) {
            throw new DeclarationException("a table name must be a Tablestore table name (letters, digits, _;"
                    + " not starting with a digit; at most 255 characters)");
        }
    }

    private static TableDeclaration table(String name, JsonNode spec) {
        checkName(name);
        String where = "table \"" + name + "\": ";
        if (!spec.isObject()) {
            throw new DeclarationException(where + "must be an object of mode, indexes and rules");
        }
        for (Iterator<String> keys = spec.fieldNames(); keys.hasNext(); ) {
            if (!TABLE_KEYS.contains(keys.next())) {
                throw new DeclarationException(where + "has an unknown key; a table has only mode, indexes, rules");
            }
        }
        AccessMode mode = mode(where, spec.get("mode"));
        Map<String, FieldType> indexes = indexes(where, mode, spec.get("indexes"));
        Map<RuleOp, Rule> rules = rules(where, mode, spec.get("rules"));
        Rule read = rules.get(RuleOp.READ);
        if (read != null) {
            checkReadRule(where, read, indexes);
        }
        return new TableDeclaration(name, mode, indexes, rules);
    }

    private static AccessMode mode(String where, JsonNode node) {
        if (node == null) {
            return AccessMode.PRIVATE;
        }
        AccessMode mode = node.isTextual() ? AccessMode.fromWire(node.textValue()) : null;
        if (mode == null) {
            throw new DeclarationException(where + "mode must be one of private, creator-write, server-write,"
                    + " server-only, rules");
        }
        return mode;
    }

    private static Map<String, FieldType> indexes(String where, AccessMode mode, JsonNode node) {
        Map<String, FieldType> indexes = new LinkedHashMap<>();
        if (node == null) {
            return indexes;
        }
        if (!node.isObject()) {
            throw new DeclarationException(where + "indexes must be an object of field name to type");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = e.getKey();
            String at = where + "index \"" + field + "\": ";
            FieldType type = e.getValue().isTextual() ? FieldType.fromWire(e.getValue().textValue()) : null;
            if (type == null) {
                throw new DeclarationException(at + "the type must be one of string, integer, number, boolean,"
                        + " string[]");
            }
            checkIndexField(at, mode, field, type);
            indexes.put(field, type);
        }
        return indexes;
    }

    private static void checkIndexField(String at, AccessMode mode, String field, FieldType type) {
        if (field.equals(TableDeclaration.ID)) {
            throw new DeclarationException(at + "id is always indexed (as a string); do not declare it");
        }
        if (field.equals("_owner")) {
            if (mode == AccessMode.PRIVATE) {
                throw new DeclarationException(at + "a private table has no _owner (its rows are the caller's)");
            }
            if (type != FieldType.STRING) {
                throw new DeclarationException(at + "_owner is a string");
            }
            return;
        }
        if (SERVER_INTEGER_FIELDS.contains(field)) {
            if (type != FieldType.INTEGER) {
                throw new DeclarationException(at + field + " is an integer (epoch milliseconds)");
            }
            return;
        }
        if (field.startsWith("_") || field.equals(TableDeclaration.UID) || !RuleParser.isDocField(field)) {
            throw new DeclarationException(at + "not a field name: an item field (a letter, then letters, digits"
                    + " or _, at most 64; not uid) or _owner, _createdAt, _updatedAt");
        }
    }

    private static Map<RuleOp, Rule> rules(String where, AccessMode mode, JsonNode node) {
        Map<RuleOp, Rule> rules = new EnumMap<>(RuleOp.class);
        if (mode != AccessMode.RULES) {
            if (node != null) {
                throw new DeclarationException(where + "rules are only for mode rules");
            }
            return rules;
        }
        if (node == null || !node.isObject()) {
            throw new DeclarationException(where + "mode rules needs rules: an object of read, create, update,"
                    + " delete expressions");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            RuleOp op = RuleOp.fromWire(e.getKey());
            if (op == null) {
                throw new DeclarationException(where + "rules has an unknown key; use read, create, update, delete");
            }
            if (!e.getValue().isTextual()) {
                throw new DeclarationException(where + "the " + op.wireName() + " rule must be a string");
            }
            try {
                rules.put(op, Rule.parse(e.getValue().textValue()));
            } catch (RuleSyntaxException bad) {
                throw new DeclarationException(where + "the " + op.wireName() + " rule, " + bad.getMessage());
            }
        }
        return rules;
    }

    private static void checkReadRule(String where, Rule read, Map<String, FieldType> indexes) {
        Set<String> unindexed = new LinkedHashSet<>(read.docFields());
        unindexed.remove(TableDeclaration.ID);
        unindexed.removeAll(indexes.keySet());
        if (!unindexed.isEmpty()) {
            throw new DeclarationException(where + "the read rule names doc." + unindexed.iterator().next()
                    + ", which is not indexed; declare it in indexes (a query must carry the rule's conditions)");
        }
        try {
            RuleDnf.of(read.expr());
        } catch (RuleDnf.TooLarge e) {
            throw new DeclarationException(where + "the read rule expands to more than " + RuleDnf.MAX_DISJUNCTS
                    + " alternatives (an || of && terms); simplify it");
        }
    }
}
