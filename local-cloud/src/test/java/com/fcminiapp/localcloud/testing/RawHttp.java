package com.fcminiapp.localcloud.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 request written by hand, so a test can send any {@code Host} header (the JDK's clients refuse to) —
 * e.g. a LAN address or a DNS-rebinding name — while connecting only to a loopback address.
 */
public final class RawHttp {

    private static final int TIMEOUT_MS = 30_000;

    /** A response: status, headers by lowercase name, body as UTF-8. */
    public static final class Response {
        public final int status;
        public final Map<String, String> headers;
        public final String body;

        Response(int status, Map<String, String> headers, String body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }
    }

    private RawHttp() {
    }

    /** Sends {@code method url} to the address the URL names, with {@code Host} as a client would send it. */
    public static Response send(String method, String url, Map<String, String> headers, byte[] body)
            throws IOException {
        URI uri = URI.create(url);
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Host", uri.getHost() + ":" + uri.getPort());
        String path = uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return send(new InetSocketAddress(uri.getHost(), uri.getPort()), method,
                uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery(), all, body);
    }

    /**
     * Sends {@code method path} to {@code connectTo} with {@code headers} as given (a null {@code Host} value sends
     * none), then reads the answer until the server closes.
     */
    public static Response send(InetSocketAddress connectTo, String method, String path, Map<String, String> headers,
                                byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(connectTo, TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            headers.forEach((k, v) -> {
                if (v != null) {
                    head.append(k).append(": ").append(v).append("\r\n");
                }
            });
            head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return parse(socket.getInputStream());
        }
    }

    /**
     * Sends only the head of {@code method path}, announcing {@code Content-Length: contentLength}, and reads the
     * answer the server gives while not one byte of the body has been sent; a server that waits for the body makes
     * this throw {@link java.net.SocketTimeoutException} after {@code timeoutMs}.
     */
    public static Response headOnly(InetSocketAddress connectTo, String method, String path,
                                    Map<String, String> headers, long contentLength, int timeoutMs)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(connectTo, timeoutMs);
            socket.setSoTimeout(timeoutMs);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            headers.forEach((k, v) -> {
                if (v != null) {
                    head.append(k).append(": ").append(v).append("\r\n");
                }
            });
            head.append("Content-Length: ").append(contentLength).append("\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return parseByLength(socket.getInputStream());
        }
    }

    /** An answer read up to its Content-Length, for a connection the server may keep open. */
    private static Response parseByLength(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed the connection before its answer's head ended: " + head);
            }
            head.write(b);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).trim().split("\r\n");
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static Response parse(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String text = all.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }
}
