package com.fcminiapp.localcloud.fcapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fcminiapp.localcloud.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The red team's flood: 500 unauthenticated invocations naming 290 KB functions. They neither push the real
 * invocations out of the log nor make {@code /_admin/invocations} big (it answered 145 MB before).
 */
class InvocationLogFloodTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FLOOD = 500;
    private static final String HUGE_NAME = "f".repeat(290 * 1024);

    @RegisterExtension
    static final ApiFixture api = new ApiFixture();

    private static RawHttp.Response unauthenticated(String function) throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("Host", api.loopbackHost());
        return api.request("POST", "/2016-08-15/services/svc/functions/" + function + "/invocations", headers, "{}");
    }

    private static void flood() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<RawHttp.Response>> answers = new ArrayList<>();
            for (int i = 0; i < FLOOD; i++) {
                answers.add(pool.submit(() -> unauthenticated(HUGE_NAME)));
            }
            for (Future<RawHttp.Response> answer : answers) {
                assertThat(answer.get(120, TimeUnit.SECONDS).status).isEqualTo(403);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fiveHundredUnauthenticatedCallsWithHugeNamesKeepTheRealEntriesAndTheLogSmall() throws Exception {
        List<String> real = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RawHttp.Response r = api.fc2Invoke(api.loopbackHost(), "db", "{\"op\":\"get\"}", api.stsKey());
            assertThat(r.status).isEqualTo(200);
            real.add(r.headers.get("x-fc-request-id"));
        }
        flood();
        RawHttp.Response log = api.adminGet("/_admin/invocations?after=0");
        assertThat(log.status).isEqualTo(200);
        assertThat(log.body.length()).as("the log's size").isLessThan(200_000);
        JsonNode entries = JSON.readTree(log.body).path("invocations");
        List<String> ids = new ArrayList<>();
        entries.forEach(e -> ids.add(e.path("requestId").asText()));
        assertThat(ids).containsAll(real);
        entries.forEach(e -> assertThat(e.path("function").asText().length()).isLessThanOrEqualTo(129));
    }
}
