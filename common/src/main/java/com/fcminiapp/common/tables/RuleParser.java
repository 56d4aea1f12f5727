package com.fcminiapp.common.tables;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A hand-written recursive-descent parser of the rule grammar (contract "Shared tables"), nothing evaluated as
 * code. Precedence, loosest first: {@code ||}, {@code &&}, comparison (not chained), {@code !}. The source length
 * and the nesting depth are bounded so that no declaration can exhaust the stack.
 */
final class RuleParser {

    static final int MAX_LENGTH = 2000;
    static final int MAX_DEPTH = 32;

    /** Item field names (contract "Db function"), {@code uid} excluded below. */
    private static final Pattern ITEM_FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final List<String> SERVER_FIELDS = List.of("id", "_owner", "_createdAt", "_updatedAt");
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final String src;
    private int pos;
    private int depth;

    private RuleParser(String src) {
        this.src = src;
    }

    static RuleExpr parse(String source) {
        if (source == null) {
            throw new RuleSyntaxException("the rule is missing", 0);
        }
        if (source.length() > MAX_LENGTH) {
            throw new RuleSyntaxException("the rule is longer than " + MAX_LENGTH + " characters", MAX_LENGTH);
        }
        RuleParser p = new RuleParser(source);
        p.skipSpace();
        if (p.pos == source.length()) {
            throw new RuleSyntaxException("the rule is empty; write an expression such as true", 0);
        }
        RuleExpr e = p.or();
        p.skipSpace();
        if (p.pos < source.length()) {
            throw new RuleSyntaxException("unexpected text after the expression (a missing && or ||?)", p.pos);
        }
        return e;
    }

    /** Whether {@code field} is a name {@code doc.} may be followed by. */
    static boolean isDocField(String field) {
        return SERVER_FIELDS.contains(field) || (ITEM_FIELD.matcher(field).matches() && !field.equals("uid"));
    }

    private RuleExpr or() {
        List<RuleExpr> parts = new ArrayList<>();
        parts.add(and());
        while (accept("||")) {
            parts.add(and());
        }
        return parts.size() == 1 ? parts.get(0) : new RuleExpr.Junction(false, parts);
    }

    private RuleExpr and() {
        List<RuleExpr> parts = new ArrayList<>();
        parts.add(comparison());
        while (accept("&&")) {
            parts.add(comparison());
        }
        return parts.size() == 1 ? parts.get(0) : new RuleExpr.Junction(true, parts);
    }

    private RuleExpr comparison() {
        RuleExpr left = unary();
        RuleExpr.Op op = comparisonOp();
        if (op == null) {
            return left;
        }
        RuleExpr right = unary();
        skipSpace();
        int at = pos;
        if (comparisonOp() != null) {
            throw new RuleSyntaxException("comparisons do not chain; add parentheses", at);
        }
        return new RuleExpr.Comparison(op, left, right);
    }

    private RuleExpr.Op comparisonOp() {
        skipSpace();
        // two-character operators first, so that "<=" is not read as "<"
        for (String symbol : new String[] {"==", "!=", "<=", ">=", "<", ">"}) {
            if (src.startsWith(symbol, pos)) {
                pos += symbol.length();
                for (RuleExpr.Op op : RuleExpr.Op.values()) {
                    if (op.symbol.equals(symbol)) {
                        return op;
                    }
                }
            }
        }
        if (src.startsWith("in", pos) && !identChar(pos + 2)) {
            pos += 2;
            return RuleExpr.Op.IN;
        }
        return null;
    }

    private RuleExpr unary() {
        skipSpace();
        if (pos < src.length() && src.charAt(pos) == '!' && !src.startsWith("!=", pos)) {
            int at = pos++;
            enter(at);
            RuleExpr part = unary();
            depth--;
            return new RuleExpr.Not(part);
        }
        return primary();
    }

    private RuleExpr primary() {
        skipSpace();
        if (pos >= src.length()) {
            throw new RuleSyntaxException("the expression ends early; expected a value", pos);
        }
        char c = src.charAt(pos);
        if (c == '(') {
            int at = pos++;
            enter(at);
            RuleExpr inner = or();
            expect(')', "expected ) to close the ( at position " + at);
            depth--;
            return inner;
        }
        if (c == '[' || c == '"' || c == '\'' || c == '-' || (c >= '0' && c <= '9')) {
            return new RuleExpr.Literal(literal());
        }
        if (identStart(c)) {
            return name();
        }
        throw new RuleSyntaxException("unexpected character; expected a value, ( or !", pos);
    }

    private RuleExpr name() {
        int at = pos;
        String word = ident();
        switch (word) {
            case "true":
                return new RuleExpr.Literal(NODES.booleanNode(true));
            case "false":
                return new RuleExpr.Literal(NODES.booleanNode(false));
            case "null":
                return new RuleExpr.Literal(NODES.nullNode());
            case "auth":
                if (!src.startsWith(".uid", pos) || identChar(pos + 4)) {
                    throw new RuleSyntaxException("auth has one field: write auth.uid", pos);
                }
                pos += 4;
                return new RuleExpr.AuthUid();
            case "doc":
                if (pos >= src.length() || src.charAt(pos) != '.' || !identStartAt(pos + 1)) {
                    throw new RuleSyntaxException("expected . and a field name after doc", pos);
                }
                pos++;
                int fieldAt = pos;
                String field = ident();
                if (!isDocField(field)) {
                    throw new RuleSyntaxException("doc. names an item field (letters, digits, _; at most 64, not uid)"
                            + " or id, _owner, _createdAt, _updatedAt", fieldAt);
                }
                return new RuleExpr.DocField(field);
            default:
                throw new RuleSyntaxException("unknown name; a rule names auth.uid, doc.<field>, true, false, null",
                        at);
        }
    }

    private JsonNode literal() {
        skipSpace();
        if (pos >= src.length()) {
            throw new RuleSyntaxException("the expression ends early; expected a literal", pos);
        }
        char c = src.charAt(pos);
        if (c == '[') {
            return list();
        }
        if (c == '"' || c == '\'') {
            return NODES.textNode(string(c));
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        if (identStart(c)) {
            int at = pos;
            String word = ident();
            switch (word) {
                case "true":
                    return NODES.booleanNode(true);
                case "false":
                    return NODES.booleanNode(false);
                case "null":
                    return NODES.nullNode();
                default:
                    throw new RuleSyntaxException("a list holds only literals (strings, numbers, true, false, null)",
                            at);
            }
        }
        throw new RuleSyntaxException("unexpected character; expected a literal", pos);
    }

    private ArrayNode list() {
        int at = pos++;
        enter(at);
        ArrayNode list = NODES.arrayNode();
        skipSpace();
        if (pos < src.length() && src.charAt(pos) == ']') {
            pos++;
            depth--;
            return list;
        }
        do {
            list.add(literal());
            skipSpace();
        } while (pos < src.length() && src.charAt(pos) == ',' && ++pos > 0);
        expect(']', "expected , or ] in the list opened at position " + at);
        depth--;
        return list;
    }

    private String string(char quote) {
        int at = pos++;
        StringBuilder out = new StringBuilder();
        while (pos < src.length()) {
            char c = src.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\\') {
                out.append(escape());
            } else if (Character.isISOControl(c)) {
                throw new RuleSyntaxException("a control character in a string; write it as an escape", pos - 1);
            } else {
                out.append(c);
            }
        }
        throw new RuleSyntaxException("the string opened here is not closed", at);
    }

    private char escape() {
        int at = pos - 1;
        if (pos >= src.length()) {
            throw new RuleSyntaxException("the escape ends early", at);
        }
        char c = src.charAt(pos++);
        switch (c) {
            case '\\':
            case '"':
            case '\'':
            case '/':
                return c;
            case 'n':
                return '\n';
            case 't':
                return '\t';
            case 'r':
                return '\r';
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'u':
                if (pos + 4 <= src.length()) {
                    String hex = src.substring(pos, pos + 4);
                    if (hex.chars().allMatch(h -> Character.digit(h, 16) >= 0)) {
                        pos += 4;
                        return (char) Integer.parseInt(hex, 16);
                    }
                }
                throw new RuleSyntaxException("\\u needs four hex digits", at);
            default:
                throw new RuleSyntaxException("unknown escape; use \\\\ \\\" \\' \\/ \\n \\t \\r \\b \\f \\uXXXX", at);
        }
    }

    private JsonNode number() {
        int at = pos;
        if (src.charAt(pos) == '-') {
            pos++;
        }
        int intStart = pos;
        digits();
        if (pos == intStart || (src.charAt(intStart) == '0' && pos - intStart > 1)) {
            throw new RuleSyntaxException("a number needs digits (no leading zeros)", at);
        }
        if (pos < src.length() && src.charAt(pos) == '.') {
            pos++;
            int fraction = pos;
            digits();
            if (pos == fraction) {
                throw new RuleSyntaxException("a number needs digits after the point", at);
            }
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            int exponent = pos;
            digits();
            if (pos == exponent || pos - exponent > 3) {
                throw new RuleSyntaxException("a number's exponent needs 1 to 3 digits", at);
            }
        }
        if (identChar(pos)) {
            throw new RuleSyntaxException("a number runs into a name; add a space or an operator", pos);
        }
        return NODES.numberNode(new BigDecimal(src.substring(at, pos)));
    }

    private void digits() {
        while (pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '9') {
            pos++;
        }
    }

    private String ident() {
        int start = pos;
        while (identChar(pos)) {
            pos++;
        }
        return src.substring(start, pos);
    }

    private void enter(int at) {
        if (++depth > MAX_DEPTH) {
            throw new RuleSyntaxException("nested deeper than " + MAX_DEPTH + " levels of ( [ or !", at);
        }
    }

    private boolean accept(String symbol) {
        skipSpace();
        if (src.startsWith(symbol, pos)) {
            pos += symbol.length();
            return true;
        }
        return false;
    }

    private void expect(char c, String problem) {
        skipSpace();
        if (pos >= src.length() || src.charAt(pos) != c) {
            throw new RuleSyntaxException(problem, pos);
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < src.length() && (src.charAt(pos) == ' ' || src.charAt(pos) == '\t' || src.charAt(pos) == '\n'
                || src.charAt(pos) == '\r')) {
            pos++;
        }
    }

    private boolean identChar(int i) {
        if (i >= src.length()) {
            return false;
        }
        char c = src.charAt(i);
        return identStart(c) || (c >= '0' && c <= '9');
    }

    private boolean identStartAt(int i) {
        return i < src.length() && identStart(src.charAt(i));
    }

    private static boolean identStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }
}
