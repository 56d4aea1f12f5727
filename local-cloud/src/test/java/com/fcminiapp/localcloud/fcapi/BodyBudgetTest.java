package com.fcminiapp.localcloud.fcapi;

import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;
import com.fcminiapp.localcloud.testing.Fc2Signing;
import com.fcminiapp.localcloud.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request bodies held in memory are bounded across requests: a body that would take more than the room left is
 * refused with FC's 429 {@code ResourceExhausted} (retry after a second) before one byte of it is read, one over
 * FC's 32 MiB limit with 413 before it is read; once the bodies in flight are done the room is back. The fixture's
 * FC endpoint holds at most 2 MiB.
 */
class BodyBudgetTest {

    private static final int BUDGET = 2 * 1024 * 1024;
    private static final int WAIT_MS = 10_000;
    private static final String PATH = "/2016-08-15/services/svc/functions/db/invocations";

    @RegisterExtension
    static final ApiFixture api = new ApiFixture(BUDGET);

    /** fc2's signed headers for {@code body}, with the Host a local client sends. */
    private static Map<String, String> signed(byte[] body) {
        Credential key = api.stsKey();
        Map<String, String> headers = new LinkedHashMap<>(Fc2Signing.invokeHeaders(PATH, body, ApiFixture.ACCOUNT,
                key.accessKeyId, key.accessKeySecret, key.securityToken, Clock.systemUTC().instant()));
        headers.put("Host", api.loopbackHost());
        return headers;
    }

    private static byte[] event(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'x');
        return body;
    }

    /** Waits, bounded, until {@code value} is {@code expected}; the last value seen. */
    private static long await(LongSupplier value, long expected) {
        long deadline = System.nanoTime() + Duration.ofMillis(WAIT_MS).toNanos();
        long seen = value.getAsLong();
        while (seen != expected && System.nanoTime() < deadline) {
            Thread.yield();
            seen = value.getAsLong();
        }
        return seen;
    }

    @Test
    void aBodyPastTheRoomLeftIsRefusedWith429BeforeItIsSentAndFitsOnceTheOtherIsDone() throws Exception {
        byte[] first = event(BUDGET * 3 / 4);
        byte[] second = event(BUDGET / 2);
        try (Socket held = new Socket()) {
            held.connect(new InetSocketAddress("127.0.0.1", api.server.port()), WAIT_MS);
            held.setSoTimeout(WAIT_MS);
            OutputStream out = held.getOutputStream();
            out.write(head(signed(first), first.length));
            out.write(first, 0, first.length / 2);
            out.flush();
            assertThat(await(api.server.bodies()::held, first.length)).as("the first body's room, reserved")
                    .isEqualTo(first.length);

            RawHttp.Response refused = RawHttp.headOnly(new InetSocketAddress("127.0.0.1", api.server.port()),
                    "POST", PATH, signed(second), second.length, WAIT_MS);
            assertThat(refused.status).isEqualTo(429);
            assertThat(refused.body).contains("\"ErrorCode\":\"ResourceExhausted\"").contains("send this invocation"
                    + " again");
            assertThat(refused.headers).containsEntry("retry-after", "1");

            out.write(first, first.length / 2, first.length - first.length / 2);
            out.flush();
            assertThat(new String(held.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1))
                    .isEqualTo("HTTP/1.1 200");
        }
        assertThat(await(api.server.bodies()::held, 0)).as("room given back").isZero();
        RawHttp.Response retried = api.fc2Invoke(api.loopbackHost(), "db", new String(second,
                StandardCharsets.UTF_8), api.stsKey());
        assertThat(retried.status).isEqualTo(200);
        assertThat(retried.body).contains("\"eventLength\":" + second.length);
        assertThat(api.server.bodies().peak()).isLessThanOrEqualTo(BUDGET);
    }

    @Test
    void aBodyOverFcsLimitIsRefusedWith413BeforeItIsSent() throws Exception {
        long tooLarge = FcApiServer.MAX_EVENT_BYTES + 1L;
        RawHttp.Response r = RawHttp.headOnly(new InetSocketAddress("127.0.0.1", api.server.port()), "POST", PATH,
                signed(new byte[0]), tooLarge, WAIT_MS);
        assertThat(r.status).isEqualTo(413);
        assertThat(r.body).contains("\"ErrorCode\":\"PayloadTooLarge\"").contains("32 MiB");
    }

    @Test
    void aChunkedBodyIsReadWithinTheBudgetToo() throws Exception {
        byte[] body = event(300 * 1024);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + api.loopbackHost() + PATH))
                .timeout(Duration.ofMillis(WAIT_MS))
                // a publisher of unknown length: the JDK client sends it chunked
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(body)));
        signed(body).forEach((name, value) -> {
            if (!name.equalsIgnoreCase("host")) {
                request.header(name, value);
            }
        });
        HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("\"eventLength\":" + body.length);
    }

    private static byte[] head(Map<String, String> headers, int length) throws IOException {
        StringBuilder head = new StringBuilder("POST " + PATH + " HTTP/1.1\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(length).append("\r\nConnection: close\r\n\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
