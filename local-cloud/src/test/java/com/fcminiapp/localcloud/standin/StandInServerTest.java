package com.fcminiapp.localcloud.standin;

import com.sun.net.httpserver.HttpExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class StandInServerTest {

    private StandInServer standIn;

    @AfterEach
    void stop() {
        if (standIn != null) {
            standIn.close();
        }
    }

    static Stream<Throwable> failuresInsideAHandler() {
        return Stream.of(new AssertionError("a bug in the stand-in"), new IOException("disk full"));
    }

    @ParameterizedTest
    @MethodSource("failuresInsideAHandler")
    void aFailureInAStandInIsAnsweredWithTheServicesFaultInsteadOfAClosedConnection(Throwable failure) throws Exception {
        standIn = new FailingStandIn(failure).start();

        HttpResponse<String> answer = get();

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).isEqualTo("service fault");
    }

    private HttpResponse<String> get() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(standIn.endpoint() + "/x"))
                .timeout(Duration.ofSeconds(20)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A stand-in whose every request fails with {@code failure}, and whose fault answer is recognisable. */
    private static final class FailingStandIn extends StandInServer {
        private final Throwable failure;

        FailingStandIn(Throwable failure) {
            super("failing", 0);
            this.failure = failure;
        }

        @Override
        protected void serve(HttpExchange exchange) throws IOException {
            if (failure instanceof IOException) {
                throw (IOException) failure;
            }
            throw (Error) failure;
        }

        @Override
        protected void answerFault(HttpExchange exchange) throws IOException {
            respond(exchange, 503, Map.of(), "service fault".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
