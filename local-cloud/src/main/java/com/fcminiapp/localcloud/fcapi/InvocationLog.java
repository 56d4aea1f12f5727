package com.fcminiapp.localcloud.fcapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The last invocations local-cloud served, in memory, for the console's live log: each gets the next sequence
 * number, and a reader may wait (bounded) for ones newer than it has seen. Two parts, each bounded by entries and by
 * size: the invocations of known callers and functions, and apart from them the requests refused before local-cloud
 * knew who sent them (no or bad signature, unknown key, stale date, a trigger path naming no function), kept short,
 * so a flood of those can neither push real invocations out nor make the log big. Names are cut to
 * {@value #MAX_NAME} characters.
 */
public final class InvocationLog {

    /** How many invocations of known callers are kept. */
    public static final int CAPACITY = 500;
    /** About how many characters of JSON those may take in all; past it the oldest go first. */
    public static final long MAX_CHARS = 4_000_000;
    /** How many requests refused before authentication are kept (beside the others, never instead of them). */
    public static final int UNAUTHENTICATED_CAPACITY = 100;
    /** The longest service or function name kept; a longer one is cut and ends with {@value #CUT}. */
    public static final int MAX_NAME = 128;
    static final String CUT = "…";
    /** About what an entry's JSON takes besides its strings (field names, numbers, the time). */
    private static final int ENTRY_OVERHEAD = 200;

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
        final boolean unauthenticated;

        Entry(long seq, Instant time, String requestId, String service, String function, String op, int status,
              String error, long durationMs, List<String> logs, boolean unauthenticated) {
            this.seq = seq;
            this.time = time;
            this.requestId = requestId;
            this.service = cut(service);
            this.function = cut(function);
            // a refused request's event was never read; what it claims is not shown
            this.op = unauthenticated ? null : op;
            this.status = status;
            this.error = error;
            this.durationMs = durationMs;
            this.logs = unauthenticated ? List.of() : List.copyOf(logs);
            this.unauthenticated = unauthenticated;
        }

        /** About the characters of this entry's JSON. */
        long chars() {
            long chars = ENTRY_OVERHEAD + length(requestId) + length(service) + length(function) + length(op)
                    + length(error);
            for (String line : logs) {
                chars += line.length() + 4;
            }
            return chars;
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
            node.put("unauthenticated", unauthenticated);
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

    /** Entries, oldest first, bounded by a count and by their characters. */
    private static final class Bounded {
        private final int capacity;
        private final long maxChars;
        private final Deque<Entry> entries = new ArrayDeque<>();
        private long chars;

        Bounded(int capacity, long maxChars) {
            this.capacity = capacity;
            this.maxChars = maxChars;
        }

        void add(Entry entry) {
            entries.addLast(entry);
            chars += entry.chars();
            // the newest stays even when it alone is over the size: an entry is already bounded by its parts
            while (entries.size() > capacity || (chars > maxChars && entries.size() > 1)) {
                chars -= entries.removeFirst().chars();
            }
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition added = lock.newCondition();
    private final Bounded known;
    private final Bounded unauthenticated;
    private long last;

    public InvocationLog() {
        this(CAPACITY, MAX_CHARS);
    }

    InvocationLog(int capacity) {
        this(capacity, MAX_CHARS);
    }

    InvocationLog(int capacity, long maxChars) {
        this.known = new Bounded(capacity, maxChars);
        this.unauthenticated = new Bounded(UNAUTHENTICATED_CAPACITY, UNAUTHENTICATED_CAPACITY * 1000L);
    }

    /** Keeps one invocation of a known caller (dropping the oldest past the bounds) and wakes every reader. */
    public void record(Instant time, String requestId, String service, String function, String op, int status,
                       String error, long durationMs, List<String> logs) {
        record(time, requestId, service, function, op, status, error, durationMs, logs, false);
    }

    /**
     * Keeps one invocation; {@code unauthenticated}: refused before local-cloud knew its caller or its function,
     * kept apart and short (no op, no lines).
     */
    public void record(Instant time, String requestId, String service, String function, String op, int status,
                       String error, long durationMs, List<String> logs, boolean unauthenticated) {
        lock.lock();
        try {
            Entry entry = new Entry(++last, time, requestId, service, function, op, status, error, durationMs, logs,
                    unauthenticated);
            (unauthenticated ? this.unauthenticated : known).add(entry);
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
            return new Page(newer(from), last);
        } finally {
            lock.unlock();
        }
    }

    /** Both parts' entries above {@code from}, merged in sequence order. */
    private List<Entry> newer(long from) {
        List<Entry> out = new ArrayList<>();
        Iterator<Entry> a = known.entries.iterator();
        Iterator<Entry> b = unauthenticated.entries.iterator();
        Entry x = next(a, from);
        Entry y = next(b, from);
        while (x != null || y != null) {
            if (y == null || (x != null && x.seq < y.seq)) {
                out.add(x);
                x = next(a, from);
            } else {
                out.add(y);
                y = next(b, from);
            }
        }
        return out;
    }

    private static Entry next(Iterator<Entry> entries, long from) {
        while (entries.hasNext()) {
            Entry e = entries.next();
            if (e.seq > from) {
                return e;
            }
        }
        return null;
    }

    /** {@link #after} as the admin endpoint answers it. */
    public ObjectNode afterAsJson(long after, Duration wait, ObjectMapper json) throws InterruptedException {
        return after(after, wait).toJson(json);
    }

    /** {@code name} cut to {@value #MAX_NAME} characters, ending with {@value #CUT} when it was longer. */
    static String cut(String name) {
        return name == null || name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME) + CUT;
    }

    private static int length(String s) {
        return s == null ? 4 : s.length() + 2;
    }
}
