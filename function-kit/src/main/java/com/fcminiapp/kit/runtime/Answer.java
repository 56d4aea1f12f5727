package com.fcminiapp.kit.runtime;

/** An invocation's outcome: the HTTP status an HTTP trigger answers with, and the JSON body. */
public final class Answer {

    private final int status;
    private final byte[] body;

    Answer(int status, byte[] body) {
        this.status = status;
        this.body = body;
    }

    /** 200, or the failure's contract code's status. */
    public int status() {
        return status;
    }

    /** The JSON answer, UTF-8. */
    public byte[] body() {
        return body;
    }
}
