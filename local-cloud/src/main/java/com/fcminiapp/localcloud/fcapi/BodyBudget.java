package com.fcminiapp.localcloud.fcapi;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request bodies held in memory at once, across all requests of the FC endpoint: a body is read only after its
 * request's headers passed every check they allow (so an unauthenticated one is never buffered), and only as far as
 * this budget lets. A body with a {@code Content-Length} reserves all of it before its first byte is read; a chunked
 * one reserves as it arrives. Past the budget the request gets FC's 429 {@code ResourceExhausted} (a retry later
 * finds room), past FC's 32 MiB event limit 413 {@code PayloadTooLarge}.
 */
final class BodyBudget {

    /** Room for two invocations of FC's largest event at once; more waits for a retry. */
    static final long DEFAULT_BYTES = 2L * FcApiServer.MAX_EVENT_BYTES;
    /** The first buffer of a chunked body; it doubles from there. */
    private static final int CHUNK = 64 * 1024;

    private final long limit;
    private final AtomicLong held = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    BodyBudget(long limit) {
        this.limit = limit;
    }

    /** A body read into memory; {@link #close} gives its bytes back to the budget once its invocation is done. */
    final class Body implements AutoCloseable {
        private long reserved;
        private byte[] bytes = new byte[0];

        byte[] bytes() {
            return bytes;
        }

        private void reserve(long n) throws FcError {
            long now = held.addAndGet(n);
            if (now > limit) {
                held.addAndGet(-n);
                throw FcError.resourceExhausted("local-cloud is receiving more request bodies at once than it holds ("
                        + limit / (1024 * 1024) + " MiB in all); send this invocation again in a moment.", 1);
            }
            reserved += n;
            peak.accumulateAndGet(now, Math::max);
        }

        @Override
        public void close() {
            held.addAndGet(-reserved);
            reserved = 0;
        }
    }

    /** Bytes held now by bodies being read or served. */
    long held() {
        return held.get();
    }

    /** The most bytes held at once since the start or {@link #resetPeak} (for tests: what a flood made it buffer). */
    long peak() {
        return peak.get();
    }

    /** For tests: starts {@link #peak} again from what is held now. */
    void resetPeak() {
        peak.set(held.get());
    }

    /** Reads the request's body into {@code body}, within FC's event limit and this budget. */
    void read(HttpExchange exchange, Body body) throws IOException, FcError {
        long declared = declaredLength(exchange);
        if (declared > FcApiServer.MAX_EVENT_BYTES) {
            throw tooLarge();
        }
        InputStream in = exchange.getRequestBody();
        if (declared >= 0) {
            body.reserve(declared);
            body.bytes = in.readNBytes((int) declared);
            if (body.bytes.length < declared) {
                throw FcError.invalidArgument("The request body ended before its Content-Length of " + declared
                        + " bytes.");
            }
            return;
        }
        readChunked(in, body);
    }

    /** A chunked body: the buffer doubles as it fills, and each growth is reserved before it is allocated. */
    private void readChunked(InputStream in, BodyBudget.Body body) throws IOException, FcError {
        byte[] bytes = new byte[0];
        int size = 0;
        while (true) {
            if (size == bytes.length) {
                if (size > FcApiServer.MAX_EVENT_BYTES) {
                    throw tooLarge();
                }
                int capacity = (int) Math.min(Math.max(CHUNK, 2L * size), FcApiServer.MAX_EVENT_BYTES + 1L);
                body.reserve(capacity - bytes.length);
                bytes = Arrays.copyOf(bytes, capacity);
            }
            int n = in.read(bytes, size, bytes.length - size);
            if (n < 0) {
                body.bytes = Arrays.copyOf(bytes, size);
                return;
            }
            size += n;
        }
    }

    /** The Content-Length a request announces, or -1 when its body is chunked or the header is not a number. */
    private static long declaredLength(HttpExchange exchange) throws FcError {
        if (exchange.getRequestHeaders().getFirst("Transfer-Encoding") != null) {
            return -1;
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length == null) {
            return 0;
        }
        try {
            long declared = Long.parseLong(length.trim());
            if (declared >= 0) {
                return declared;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw FcError.invalidArgument("Content-Length must be a whole number of bytes.");
    }

    private static FcError tooLarge() {
        return new FcError(413, "PayloadTooLarge", "The request body is over " + FcApiServer.MAX_EVENT_BYTES
                + " bytes (32 MiB), FC's limit for a synchronous invocation; send a smaller event, or upload the data"
                + " to OSS and send its key.");
    }
}
