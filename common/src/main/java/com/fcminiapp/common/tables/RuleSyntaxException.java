package com.fcminiapp.common.tables;

/**
 * A rule expression that does not parse: the message says what is wrong and where (0-based character position),
 * without quoting the expression. A declaration wraps it into a {@link DeclarationException} naming the table and op.
 */
public final class RuleSyntaxException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int position;

    public RuleSyntaxException(String problem, int position) {
        super("at position " + position + ": " + problem);
        this.position = position;
    }

    /** The 0-based character position of the problem in the expression. */
    public int position() {
        return position;
    }
}
