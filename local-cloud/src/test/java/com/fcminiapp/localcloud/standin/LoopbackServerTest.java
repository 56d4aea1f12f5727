package com.fcminiapp.localcloud.standin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LoopbackServerTest {

    private LoopbackServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void keepsIdleConnectionsLongerThanTheSdkPoolsDo() {
        server = LoopbackServer.start("test", 0, 8, exchange -> exchange.sendResponseHeaders(204, -1));

        // the OSS SDK's pool keeps idle connections 60 s, the JDK server by default 30 s
        assertThat(Long.parseLong(System.getProperty("sun.net.httpserver.idleInterval"))).isGreaterThan(60);
    }

    @Test
    void aHandlerFailingBeforeItAnswersGivesA500ThatClosesTheConnectionInsteadOfDroppingIt() throws Exception {
        server = LoopbackServer.start("test", 0, 8, exchange -> {
            throw new AssertionError("a bug in a stand-in");
        });

        assertThat(get("/")).startsWith("HTTP/1.1 500").containsIgnoringCase("connection: close");
    }

    @Test
    void aHandlerFailingWithAnIoErrorBeforeItAnswersGivesA500() throws Exception {
        server = LoopbackServer.start("test", 0, 8, exchange -> {
            throw new IOException("disk full");
        });

        assertThat(get("/")).startsWith("HTTP/1.1 500");
    }

    @Test
    void anAnsweredRequestKeepsItsConnectionForTheNext() throws Exception {
        server = LoopbackServer.start("test", 0, 8, exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        try (Socket socket = connect()) {
            BufferedReader in = reader(socket);
            send(socket, "/first");
            assertThat(readHead(in)).startsWith("HTTP/1.1 204").doesNotContainIgnoringCase("connection: close");
            send(socket, "/second");
            assertThat(readHead(in)).startsWith("HTTP/1.1 204");
        }
    }

    private String get(String path) throws IOException {
        try (Socket socket = connect()) {
            send(socket, path);
            return readHead(reader(socket));
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    private static void send(Socket socket, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The status line and headers; "" when the server closed the connection without answering. */
    private static String readHead(BufferedReader in) throws IOException {
        StringBuilder head = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            head.append(line).append('\n');
        }
        return head.toString();
    }
}
