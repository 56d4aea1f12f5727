package com.fcminiapp.localcloud.runtime;

import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal {@link HttpServletRequest}/{@link HttpServletResponse} pair for the FC 2.0 {@code HttpRequestHandler}:
 * what an HTTP trigger hands a handler (method, path, query, headers, body) and a buffered response. Methods a
 * function has no use for on FC answer null, zero or false.
 */
public final class ServletAdapters {

    private ServletAdapters() {
    }

    /** The request as FC gives it: {@code path} is the part after the trigger's function prefix. */
    public static HttpServletRequest request(String method, String requestUri, String path, String rawQuery,
                                             Map<String, List<String>> headers, byte[] body, String remoteAddr) {
        Map<String, List<String>> lower = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        Map<String, String[]> params = parseQuery(rawQuery);
        Map<String, Object> attributes = Collections.synchronizedMap(new LinkedHashMap<>());
        ServletInputStream input = new BytesInputStream(body);
        return (HttpServletRequest) Proxy.newProxyInstance(ServletAdapters.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "getMethod": return method;
                        case "getRequestURI": return requestUri;
                        case "getPathInfo": return path;
                        case "getServletPath":
                        case "getContextPath": return "";
                        case "getQueryString": return rawQuery;
                        case "getRequestURL": return new StringBuffer("http://127.0.0.1" + requestUri);
                        case "getInputStream": return input;
                        case "getContentLength": return body.length;
                        case "getContentLengthLong": return (long) body.length;
                        case "getContentType": return first(lower, "content-type");
                        case "getCharacterEncoding": return "UTF-8";
                        case "getHeader": return first(lower, (String) args[0]);
                        case "getHeaders": return Collections.enumeration(
                                lower.getOrDefault((String) args[0], List.of()));
                        case "getHeaderNames": return Collections.enumeration(new ArrayList<>(lower.keySet()));
                        case "getIntHeader": {
                            String v = first(lower, (String) args[0]);
                            return v == null ? -1 : Integer.parseInt(v.trim());
                        }
                        case "getParameter": {
                            String[] v = params.get((String) args[0]);
                            return v == null ? null : v[0];
                        }
                        case "getParameterValues": return params.get((String) args[0]);
                        case "getParameterMap": return Collections.unmodifiableMap(params);
                        case "getParameterNames": return Collections.enumeration(params.keySet());
                        case "getAttribute": return attributes.get((String) args[0]);
                        case "setAttribute": attributes.put((String) args[0], args[1]); return null;
                        case "removeAttribute": attributes.remove((String) args[0]); return null;
                        case "getAttributeNames": return Collections.enumeration(new ArrayList<>(attributes.keySet()));
                        case "getRemoteAddr":
                        case "getRemoteHost": return remoteAddr;
                        case "getScheme": return "http";
                        case "getProtocol": return "HTTP/1.1";
                        case "getServerName":
                        case "getLocalName": return "127.0.0.1";
                        case "getLocale": return Locale.getDefault();
                        case "toString": return "HttpServletRequest[" + method + " " + requestUri + "]";
                        case "hashCode": return System.identityHashCode(proxy);
                        case "equals": return proxy == args[0];
                        default: return defaultValue(m.getReturnType());
                    }
                });
    }

    /** A buffered response; read it back with {@link Recorded}. */
    public static final class Recorded {
        public volatile int status = 200;
        public final Map<String, List<String>> headers = Collections.synchronizedMap(new LinkedHashMap<>());
        public final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private PrintWriter writer;
        public final HttpServletResponse response;

        public Recorded() {
            ServletOutputStream output = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener writeListener) {
                    // blocking output only
                }

                @Override
                public void write(int b) {
                    body.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    body.write(b, off, len);
                }
            };
            response = (HttpServletResponse) Proxy.newProxyInstance(ServletAdapters.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
                        switch (m.getName()) {
                            case "setStatus":
                            case "sendError":
                                status = (Integer) args[0];
                                return null;
                            case "getStatus": return status;
                            case "setHeader":
                            case "setIntHeader":
                            case "setDateHeader":
                                headers.put((String) args[0], new ArrayList<>(List.of(String.valueOf(args[1]))));
                                return null;
                            case "addHeader":
                            case "addIntHeader":
                            case "addDateHeader":
                                headers.computeIfAbsent((String) args[0], k -> new ArrayList<>()).add(String.valueOf(args[1]));
                                return null;
                            case "getHeader": {
                                List<String> v = headers.get((String) args[0]);
                                return v == null || v.isEmpty() ? null : v.get(0);
                            }
                            case "getHeaders": return headers.getOrDefault((String) args[0], List.of());
                            case "getHeaderNames": return new ArrayList<>(headers.keySet());
                            case "containsHeader": return headers.containsKey((String) args[0]);
                            case "setContentType":
                                headers.put("Content-Type", new ArrayList<>(List.of(String.valueOf(args[0]))));
                                return null;
                            case "getContentType": {
                                List<String> v = headers.get("Content-Type");
                                return v == null ? null : v.get(0);
                            }
                            case "setContentLength":
                            case "setContentLengthLong":
                            case "setCharacterEncoding":
                            case "setBufferSize":
                            case "flushBuffer":
                            case "setLocale":
                                return null;
                            case "getCharacterEncoding": return "UTF-8";
                            case "getOutputStream": return output;
                            case "getWriter": return writer();
                            case "isCommitted": return false;
                            case "toString": return "HttpServletResponse[" + status + "]";
                            case "hashCode": return System.identityHashCode(proxy);
                            case "equals": return proxy == args[0];
                            default: return defaultValue(m.getReturnType());
                        }
                    });
        }

        private synchronized PrintWriter writer() {
            if (writer == null) {
                writer = new PrintWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8), true);
            }
            return writer;
        }

        /** The body written so far (flushing a writer the handler used). */
        public synchronized byte[] bytes() {
            if (writer != null) {
                writer.flush();
            }
            return body.toByteArray();
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static Object defaultValue(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }

    static Map<String, String[]> parseQuery(String rawQuery) {
        Map<String, List<String>> collected = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                collected.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        Map<String, String[]> out = new LinkedHashMap<>();
        collected.forEach((k, v) -> out.put(k, v.toArray(new String[0])));
        return out;
    }

    private static final class BytesInputStream extends ServletInputStream {
        private final ByteArrayInputStream in;

        BytesInputStream(byte[] body) {
            this.in = new ByteArrayInputStream(body);
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener readListener) {
            // blocking input only
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, len);
        }
    }
}
