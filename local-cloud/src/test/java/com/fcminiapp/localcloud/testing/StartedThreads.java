package com.fcminiapp.localcloud.testing;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The threads a piece of code started (an SDK client's I/O reactor, its callback pool...), for tests proving they
 * end. The stand-ins' own request threads ({@code <name>-standin-<n>}) are left out: they serve the calls.
 */
public final class StartedThreads {

    private StartedThreads() {
    }

    /** Code that may throw. */
    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    /** The threads alive after {@code work} that were not alive before it. */
    public static Set<Thread> during(Work work) throws Exception {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        work.run();
        Set<Thread> started = new HashSet<>(Thread.getAllStackTraces().keySet());
        started.removeAll(before);
        started.removeIf(t -> t.getName().matches(".*-standin-\\d+"));
        return started;
    }

    /** Waits up to {@code bound} in all for each thread to end; the names and states of those still alive. */
    public static List<String> aliveAfter(Set<Thread> threads, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        for (Thread t : threads) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            t.join(left);
        }
        return threads.stream().filter(Thread::isAlive).map(t -> t.getName() + " " + t.getState())
                .sorted().collect(Collectors.toList());
    }
}
