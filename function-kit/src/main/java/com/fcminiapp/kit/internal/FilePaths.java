package com.fcminiapp.kit.internal;

import com.fcminiapp.common.error.ApiException;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The rules of a file path (relative to a {@link FileService.Folder}, {@code users/<uid>/} or
 * {@code public/<uid>/}): 1–512 UTF-8 bytes of
 * {@code /}-separated non-empty segments, none {@code .} or {@code ..}, no backslash, no control character, no
 * leading {@code /}, no {@code $} (OSS substitutes {@code ${filename}} in a PostObject key after checking the
 * policy). Because some clients and proxies decode URLs, a segment that percent-decodes (once or more) to
 * {@code .} or {@code ..}, or to something holding {@code /} or {@code \}, is refused too.
 */
final class FilePaths {

    static final int MAX_BYTES = 512;

    private FilePaths() {
    }

    /** A full path (of a file). */
    static String checkPath(String path, String field) {
        if (path == null || path.isEmpty()) {
            throw ApiException.invalid(field + " is missing; give a path like \"photos/cat.jpg\".");
        }
        checkText(path, field);
        if (path.endsWith("/")) {
            throw ApiException.invalid(field + " must name a file, not end with /.");
        }
        checkSegments(path, field);
        return path;
    }

    /** A listing prefix: empty, or a path's beginning (it may end with /). */
    static String checkPrefix(String prefix) {
        if (prefix.isEmpty()) {
            return prefix;
        }
        checkText(prefix, "prefix");
        checkSegments(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix, "prefix");
        return prefix;
    }

    private static void checkText(String path, String field) {
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw ApiException.invalid(field + " is over " + MAX_BYTES + " UTF-8 bytes.");
        }
        if (!ItemCodec.isCleanText(path)) {
            throw ApiException.invalid(field + " must not hold control characters or broken Unicode.");
        }
        if (path.indexOf('\\') >= 0) {
            throw ApiException.invalid(field + " must not hold a backslash; separate folders with /.");
        }
        if (path.startsWith("/")) {
            throw ApiException.invalid(field + " must not start with /; it is relative to your folder.");
        }
        if (path.indexOf('$') >= 0) {
            throw ApiException.invalid(field + " must not hold $; OSS would substitute ${filename} in it.");
        }
    }

    /**
     * Whether {@code path} can be the rest of a stored key in a folder, whatever rules it breaks: 1 to
     * {@code maxBytes} UTF-8 bytes of well-formed Unicode (listFiles shows such keys; removeFile can delete them).
     */
    static boolean isStorable(String path, int maxBytes) {
        if (path == null || path.isEmpty() || path.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return false;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < path.length() && Character.isLowSurrogate(path.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static void checkSegments(String path, String field) {
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                throw ApiException.invalid(field + " must not hold empty segments (//).");
            }
            String decoded = fullyDecoded(segment);
            if (decoded.equals(".") || decoded.equals("..") || decoded.indexOf('/') >= 0
                    || decoded.indexOf('\\') >= 0) {
                throw ApiException.invalid(field + " must not hold . or .. segments (also percent-encoded).");
            }
        }
    }

    /** Percent-decodes until nothing changes (bytes taken as Latin-1, enough to see dots and slashes). */
    static String fullyDecoded(String segment) {
        String current = segment;
        for (int round = 0; round < 8; round++) {
            String next = decodeOnce(current);
            if (next.equals(current)) {
                return current;
            }
            current = next;
        }
        return current;
    }

    private static String decodeOnce(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 3).toLowerCase(Locale.ROOT), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
