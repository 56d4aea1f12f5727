package com.fcminiapp.kit;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One user's files: the same answers as the db function's {@code uploadPolicy} and {@code downloadUrl}. */
public interface UserFiles {

    /**
     * An OSS PostObject form for exactly {@code users/<uid>/<path>}: {@code {"url", "fields", "fileField", "path",
     * "expiresAt"}}. {@code contentType} and {@code maxBytes} may be null (octet-stream, UPLOAD_MAX_BYTES).
     */
    ObjectNode uploadPolicy(String path, String contentType, Long maxBytes);

    /** A presigned GET of {@code users/<uid>/<path>}: {@code {"url", "expiresAt"}}. */
    ObjectNode downloadUrl(String path);
}
