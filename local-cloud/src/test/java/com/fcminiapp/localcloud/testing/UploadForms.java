package com.fcminiapp.localcloud.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/** The multipart body {@code my.uploadFile} posts for an {@code uploadPolicy} answer: its fields, then the file. */
public final class UploadForms {

    public static final String BOUNDARY = "----MiniAppUpload7MA4YWxkTrZu0gW";
    public static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private UploadForms() {
    }

    /** The body for {@code form} (the db function's {@code data}: fields, fileField) carrying {@code file}. */
    public static byte[] body(JsonNode form, String fileName, String fileType, byte[] file) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Iterator<Map.Entry<String, JsonNode>> it = form.path("fields").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            body.writeBytes(utf8("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field.getKey()
                    + "\"\r\n\r\n" + field.getValue().asText() + "\r\n"));
        }
        body.writeBytes(utf8("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\""
                + form.path("fileField").asText() + "\"; filename=\"" + fileName + "\"\r\nContent-Type: " + fileType
                + "\r\n\r\n"));
        body.writeBytes(file);
        body.writeBytes(utf8("\r\n--" + BOUNDARY + "--\r\n"));
        return body.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
