package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.RowPutChange;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Prints PutRow latency through the real SDK against a file-backed Tablestore stand-in: one writer, then eight
 * concurrent ones. A measurement to read (docs/local-cloud.md), not a test: nothing here asserts a time.
 * Run: {@code java -cp <test classpath> com.fcminiapp.localcloud.standin.tablestore.WriteLatencyProbe [puts]}.
 */
public final class WriteLatencyProbe {

    private static final int WARM_UP = 100;
    private static final int WRITERS = 8;

    private WriteLatencyProbe() {
    }

    public static void main(String[] args) throws Exception {
        int puts = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        Path dir = Files.createTempDirectory("write-latency");
        try (TablestoreFixture fixture = new TablestoreFixture(dir.resolve("probe.mv.db").toString(), Clock.systemUTC())) {
            SyncClient client = fixture.client();
            fixture.createTodoTable(client);
            measure(client, "warm-up", WARM_UP);
            report("1 writer ", measure(client, "one", puts));
            report(WRITERS + " writers", concurrently(client, puts / WRITERS));
        }
    }

    private static long[] measure(SyncClient client, String uid, int puts) {
        long[] nanos = new long[puts];
        for (int i = 0; i < puts; i++) {
            RowPutChange change = new RowPutChange(TablestoreFixture.TABLE, TablestoreFixture.key(uid, "row" + (i % 50)));
            change.addColumn("_version", ColumnValue.fromLong(i));
            change.addColumn("title", ColumnValue.fromString("a todo item of a typical length " + i));
            long start = System.nanoTime();
            client.putRow(new PutRowRequest(change));
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    private static long[] concurrently(SyncClient client, int putsEach) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        try {
            List<Future<long[]>> runs = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String uid = "writer" + w;
                runs.add(pool.submit(() -> measure(client, uid, putsEach)));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> run : runs) {
                all.add(run.get(5, TimeUnit.MINUTES));
            }
            return all.stream().flatMapToLong(Arrays::stream).toArray();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void report(String label, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("PutRow %s: n=%d p50=%.2f ms p90=%.2f ms p99=%.2f ms max=%.2f ms%n", label, sorted.length,
                ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
    }
}
