package com.fcminiapp.localcloud.fcapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * Per function, the calls local-cloud served (event invocations and HTTP-trigger requests), how many ran at once at
 * most, and so how many instances FC would have started for them: FC puts at most {@code InstanceConcurrency}
 * calls on one instance (default 1), so a peak of {@code p} concurrent calls needs {@code ceil(p / concurrency)}
 * instances. local-cloud itself runs one instance per function whatever the peak; the console shows the count.
 */
public final class InstanceCounter {

    private final Map<String, Counts> counts = new ConcurrentHashMap<>();

    /** One call of {@code service/function} starts; closing what it returns ends it. */
    public Running start(String service, String function) {
        Counts c = counts.computeIfAbsent(service + "/" + function, k -> new Counts(service, function));
        synchronized (c) {
            c.calls++;
            c.running++;
            c.peak = Math.max(c.peak, c.running);
        }
        return () -> {
            synchronized (c) {
                c.running--;
            }
        };
    }

    /**
     * {@code {"functions": [{service, function, calls, running, peakConcurrent, instanceConcurrency, instances}]}}
     * for every function of {@code services} (service → its functions), those never called with zeros;
     * {@code concurrency} gives each function's InstanceConcurrency.
     */
    public <F> ObjectNode toJson(Map<String, Map<String, F>> services, ToIntFunction<F> concurrency) {
        ObjectNode answer = FcAnswers.JSON.createObjectNode();
        ArrayNode list = answer.putArray("functions");
        services.forEach((service, functions) -> functions.forEach((name, f) -> {
            Counts c = counts.getOrDefault(service + "/" + name, new Counts(service, name));
            int perInstance = Math.max(1, concurrency.applyAsInt(f));
            synchronized (c) {
                list.addObject().put("service", service).put("function", name).put("calls", c.calls)
                        .put("running", c.running).put("peakConcurrent", c.peak)
                        .put("instanceConcurrency", perInstance)
                        .put("instances", (c.peak + perInstance - 1) / perInstance);
            }
        }));
        return answer;
    }

    /** A call being served; {@link #close()} once it has its answer. */
    public interface Running extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Counts {
        final String service;
        final String function;
        long calls;
        int running;
        int peak;

        Counts(String service, String function) {
            this.service = service;
            this.function = function;
        }
    }
}
