package com.fcminiapp.localcloud.fcapi;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Makes the URLs a function hands out (upload forms, downloads on the OSS stand-in's public endpoint) name the host
 * the client called: a phone that reached local-cloud at {@code 192.168.1.20} gets {@code http://192.168.1.20:<oss
 * port>/…}, not the bind address. Only the host changes: OSS V1 signatures and PostObject policies do not sign it.
 */
final class PublicUrls {

    private final byte[] prefix;
    private final String host;
    private final int port;

    /** @param endpoint the stand-in's endpoint, {@code http://<host>:<port>} */
    PublicUrls(String endpoint) {
        URI uri = URI.create(endpoint);
        this.prefix = endpoint.getBytes(StandardCharsets.US_ASCII);
        this.host = uri.getHost();
        this.port = uri.getPort();
    }

    /** {@code body} with each {@code http://<host>:<port>} changed to {@code http://<calledHost>:<port>}. */
    byte[] rewrite(byte[] body, String calledHost) {
        if (calledHost.equalsIgnoreCase(host)) {
            return body;
        }
        byte[] replacement = ("http://" + calledHost + ":" + port).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = null;
        int copied = 0;
        for (int at = indexOf(body, 0); at >= 0; at = indexOf(body, at + prefix.length)) {
            if (out == null) {
                out = new ByteArrayOutputStream(body.length + 64);
            }
            out.write(body, copied, at - copied);
            out.write(replacement, 0, replacement.length);
            copied = at + prefix.length;
        }
        if (out == null) {
            return body;
        }
        out.write(body, copied, body.length - copied);
        return out.toByteArray();
    }

    /** The next whole match from {@code from}: the port must not go on with more digits (9000 is not 90001). */
    private int indexOf(byte[] body, int from) {
        for (int i = from; i <= body.length - prefix.length; i++) {
            if (matchesAt(body, i)) {
                return i;
            }
        }
        return -1;
    }

    private boolean matchesAt(byte[] body, int at) {
        int end = at + prefix.length;
        return (end == body.length || !Character.isDigit(body[end]))
                && Arrays.equals(body, at, end, prefix, 0, prefix.length);
    }
}
