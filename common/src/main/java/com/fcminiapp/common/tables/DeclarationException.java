package com.fcminiapp.common.tables;

/**
 * A bad {@code DATA_TABLES} declaration. The message names the table and the problem (for a rule: the op and
 * the 0-based character position), never another value of the declaration.
 */
public final class DeclarationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public DeclarationException(String message) {
        super(message);
    }
}
