import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Runs one FC Java handler the way an FC instance does, for scripts/bench-fc-cold-start.sh: constructs the handler,
 * runs its initializer, answers a first request, then warm ones, and prints timings. It compiles against the JDK
 * alone: FC's Context, Credentials, FunctionParam and FunctionComputeLogger are proxies of the jar's own
 * fc-java-core interfaces, so nothing of this class ends up in, or differs between, the function jars.
 *
 * <p>Usage: {@code java -cp runner:function.jar FcRunner LAUNCH_MS HANDLER_CLASS FIRST_EVENT WARM_EVENT WARM_COUNT
 * [UPSTREAM_CLASS]}; {@code %n} in WARM_EVENT is replaced by the request's number (authCodes are single-use). With
 * UPSTREAM_CLASS, each warm request is followed by that op's upstream round trips alone, and the warm handler
 * overhead (handler p50/p99 minus upstream-alone p50/p99) is printed too. Execution credentials come
 * from ACCESS_KEY_ID, ACCESS_KEY_SECRET and SECURITY_TOKEN in the environment.
 */
public final class FcRunner {
    private static ClassLoader loader;

    public static void main(String[] args) throws Exception {
        long launch = Long.parseLong(args[0]);
        loader = FcRunner.class.getClassLoader();
        Class<?> type = Class.forName(args[1], true, loader);
        Object handler = type.getConstructor().newInstance();
        Object context = FcContext.context(loader);
        Class<?> contextType = Class.forName("com.aliyun.fc.runtime.Context", false, loader);
        Method init = initializer(type, contextType);
        if (init != null) {
            init.invoke(handler, context);
        }
        long initialized = System.currentTimeMillis() - launch;
        Method handle = type.getMethod("handleRequest", InputStream.class, OutputStream.class, contextType);
        String first = invoke(handle, handler, context, args[2]);
        long answered = System.currentTimeMillis() - launch;
        int warm = Integer.parseInt(args[4]);
        long[] nanos = new long[warm];
        for (int i = 0; i < warm; i++) {
            long t = System.nanoTime();
            invoke(handle, handler, context, args[3].replace("%n", Integer.toString(i)));
            nanos[i] = System.nanoTime() - t;
        }
        // read before the upstream-alone clients exist: they are the runner's, not the function's
        long cpu = cpuMillis();
        long classes = classesLoaded();
        long hwm = peakRssKb();
        String overhead = args.length > 5 ? overhead(args[5], handle, handler, context, args[3], warm) : "";
        System.out.println("ANSWER " + first);
        System.out.printf("RESULT initMs=%d firstMs=%d cpuMs=%d classes=%d hwmKb=%d warmP50us=%d warmP99us=%d%s%n",
                initialized, answered, cpu, classes, hwm, p50(nanos), p99(nanos), overhead);
        System.exit(0); // SDK clients keep non-daemon threads; FC freezes the instance instead
    }

    /**
     * The warm handler overhead over the op's own upstream round trips: WARM more handler requests, each followed by
     * the same round trips alone (a class compiled against the function jar, scripts/bench/*Upstream, whose
     * {@code accept(n)} makes them with clients built like the function's), interleaved so both see the same JIT
     * state and the same load on the machine.
     */
    private static String overhead(String upstreamClass, Method handle, Object handler, Object context, String event,
                                   int warm) throws Exception {
        IntConsumer upstream = (IntConsumer) Class.forName(upstreamClass, true, loader).getConstructor(Object.class)
                .newInstance(context);
        long[] handled = new long[warm];
        long[] alone = new long[warm];
        for (int i = 0; i < warm; i++) {
            long t = System.nanoTime();
            invoke(handle, handler, context, event.replace("%n", "o" + i));
            handled[i] = System.nanoTime() - t;
            t = System.nanoTime();
            upstream.accept(i);
            alone[i] = System.nanoTime() - t;
        }
        return String.format(" handlerP50us=%d handlerP99us=%d upP50us=%d upP99us=%d overP50us=%d overP99us=%d",
                p50(handled), p99(handled), p50(alone), p99(alone), p50(handled) - p50(alone),
                p99(handled) - p99(alone));
    }

    private static long p50(long[] nanos) {
        return percentile(nanos, (nanos.length - 1) / 2);
    }

    private static long p99(long[] nanos) {
        return percentile(nanos, (int) Math.ceil(nanos.length * 0.99) - 1);
    }

    private static long percentile(long[] nanos, int index) {
        if (nanos.length == 0) {
            return 0;
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[index] / 1000;
    }

    private static Method initializer(Class<?> type, Class<?> contextType) {
        try {
            return type.getMethod("initialize", contextType);
        } catch (NoSuchMethodException absent) {
            return null;
        }
    }

    private static String invoke(Method handle, Object handler, Object context, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handle.invoke(handler, new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
        return out.toString(StandardCharsets.UTF_8.name());
    }

    private static long cpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1_000_000;
    }

    private static long classesLoaded() {
        return ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
    }

    private static long peakRssKb() throws Exception {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
