package com.fcminiapp.localcloud.fcapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The last invocations local-cloud served, in memory, for the console's live log: each gets the next sequence
 * number, the oldest is dropped past the capacity, and a reader may wait (bounded) for ones newer than it has seen.
 */
public final class InvocationLog {

    /** How many invocations are kept. */
    public static final int CAPACITY = 500;

    /** One served invocation; {@code error} is the contract or FC error code the answer carried, else null. */
    public static final class Entry {
        final long seq;
        final Instant time;
        final String requestId;
        final String service;
        final String function;
        final String op;
        final int status;
        final String error;
        final long durationMs;
        final List<String> logs;

        Entry(long seq, Instant time, String requestId, String service, String function, String op, int status,
              String error, long durationMs, List<String> logs) {
            this.seq = seq;
            this.time = time;
            this.requestId = requestId;
            this.service = service;
            this.function = function;
            this.op = op;
            this.status = status;
            this.error = error;
            this.durationMs = durationMs;
            this.logs = List.copyOf(logs);
        }

        ObjectNode toJson(ObjectMapper json) {
            ObjectNode node = json.createObjectNode();
            node.put("seq", seq);
            node.put("time", time.toString());
            node.put("requestId", requestId);
            node.put("service", service);
            node.put("function", function);
            node.put("op", op);
            node.put("status", status);
            node.put("error", error);
            node.put("durationMs", durationMs);
            ArrayNode lines = node.putArray("logs");
            logs.forEach(lines::add);
            return node;
        }
    }

    /** What a reader gets: the entries newer than it asked for, oldest first, and the newest sequence number. */
    public static final class Page {
        public final List<Entry> entries;
        public final long last;

        Page(List<Entry> entries, long last) {
            this.entries = entries;
            this.last = last;
        }

        ObjectNode toJson(ObjectMapper json) {
            ObjectNode node = json.createObjectNode();
            ArrayNode list = node.putArray("invocations");
            entries.forEach(e -> list.add(e.toJson(json)));
            node.put("last", last);
            return node;
        }
    }

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final Deque<Entry> entries = new ArrayDeque<>();
    private long last;

    public InvocationLog() {
        this(CAPACITY);
    }

    InvocationLog(int capacity) {
        this.capacity = capacity;
    }

    /** Keeps one invocation (dropping the oldest past the capacity) and wakes every waiting reader. */
    public void record(Instant time, String requestId, String service, String function, String op, int status,
                       String error, long durationMs, List<String> logs) {
        lock.lock();
        try {
            entries.addLast(new Entry(++last, time, requestId, service, function, op, status, error, durationMs, logs));
            while (entries.size() > capacity) {
                entries.removeFirst();
            }
            added.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The kept entries newer than {@code after}, at once when there are any, else once one arrives or {@code wait}
     * has passed (then none). An {@code after} past the newest (a reader from before a restart) reads from the
     * start, so it catches up instead of waiting for numbers this log has not reached.
     */
    public Page after(long after, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        lock.lock();
        try {
            long from = after > last ? 0 : after;
            for (long left = wait.toNanos(); last <= from && left > 0; left = deadline - System.nanoTime()) {
                added.awaitNanos(left);
            }
            List<Entry> newer = new ArrayList<>();
            for (Entry e : entries) {
                if (e.seq > from) {
                    newer.add(e);
                }
            }
            return new Page(newer, last);
        } finally {
            lock.unlock();
        }
    }

    /** {@link #after} as the admin endpoint answers it. */
    public ObjectNode afterAsJson(long after, Duration wait, ObjectMapper json) throws InterruptedException {
        return after(after, wait).toJson(json);
    }
}
