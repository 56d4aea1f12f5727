package com.fcminiapp.localcloud.standin.oss;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code multipart/form-data} body as OSS PostObject reads it: text fields (names case-insensitive) up to the
 * {@code file} part, whose bytes, filename and content type are kept; fields after it are ignored.
 */
final class MultipartForm {

    private static final Pattern BOUNDARY = Pattern.compile("boundary=(?:\"([^\"]+)\"|([^;\\s]+))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NAME = Pattern.compile("[; ]name=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);

    final Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    byte[] fileBytes;
    int fileOffset;
    int fileLength;
    String fileName;
    String fileContentType;

    boolean hasFile() {
        return fileBytes != null;
    }

    static MultipartForm parse(String contentType, byte[] body) {
        Matcher m = contentType == null ? null : BOUNDARY.matcher(contentType);
        if (m == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data") || !m.find()) {
            throw OssError.malformedPost("The body of your POST request is not well-formed multipart/form-data.");
        }
        byte[] delimiter = ("--" + (m.group(1) != null ? m.group(1) : m.group(2))).getBytes(StandardCharsets.ISO_8859_1);
        MultipartForm form = new MultipartForm();
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw OssError.malformedPost("The body of your POST request is not well-formed multipart/form-data.");
        }
        byte[] nextDelimiter = concat("\r\n".getBytes(StandardCharsets.ISO_8859_1), delimiter);
        while (true) {
            int partStart = at + delimiter.length;
            if (partStart + 1 < body.length && body[partStart] == '-' && body[partStart + 1] == '-') {
                break;
            }
            partStart += 2; // CRLF after the delimiter
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), partStart);
            int partEnd = headersEnd < 0 ? -1 : indexOf(body, nextDelimiter, headersEnd + 4);
            if (headersEnd < 0 || partEnd < 0) {
                throw OssError.malformedPost("The body of your POST request is not well-formed multipart/form-data.");
            }
            String headers = new String(body, partStart, headersEnd - partStart, StandardCharsets.UTF_8);
            String name = null;
            String fileName = null;
            String partType = null;
            for (String line : headers.split("\r\n")) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-disposition:")) {
                    Matcher n = NAME.matcher(line);
                    name = n.find() ? n.group(1) : null;
                    Matcher f = FILENAME.matcher(line);
                    fileName = f.find() ? f.group(1) : null;
                } else if (lower.startsWith("content-type:")) {
                    partType = line.substring("content-type:".length()).trim();
                }
            }
            int dataStart = headersEnd + 4;
            if ("file".equalsIgnoreCase(name)) {
                form.fileBytes = body;
                form.fileOffset = dataStart;
                form.fileLength = partEnd - dataStart;
                form.fileName = fileName;
                form.fileContentType = partType;
                break;
            }
            if (name != null) {
                form.fields.put(name, new String(body, dataStart, partEnd - dataStart, StandardCharsets.UTF_8));
            }
            at = partEnd + 2;
        }
        return form;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(from, 0); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
