import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * One cold FC instance for scripts/bench-launch.mjs: a fresh JVM, started when the first request for its function
 * arrives, constructs the deployed handler and runs its initializer (as FC does before an instance's first
 * invocation), then answers events POSTed to 127.0.0.1, CONCURRENCY at a time (FC's InstanceConcurrency). It prints
 * {@code LISTENING <port>} once it can answer. Like FcRunner it compiles against the JDK alone: FC's Context and
 * friends are proxies of the function jar's own fc-java-core interfaces. Execution credentials come from
 * ACCESS_KEY_ID, ACCESS_KEY_SECRET and SECURITY_TOKEN in the environment.
 *
 * <p>Usage: {@code java -cp launch:function.jar LaunchInstance HANDLER_CLASS [CONCURRENCY=1]}.
 */
public final class LaunchInstance {
    private static ClassLoader loader;

    public static void main(String[] args) throws Exception {
        loader = LaunchInstance.class.getClassLoader();
        Class<?> type = Class.forName(args[0], true, loader);
        Object handler = type.getConstructor().newInstance();
        Class<?> contextType = Class.forName("com.aliyun.fc.runtime.Context", false, loader);
        Object initContext = FcContext.context(loader);
        try {
            type.getMethod("initialize", contextType).invoke(handler, initContext);
        } catch (NoSuchMethodException noInitializer) {
            // a handler without an initializer starts serving at once
        }
        Method handle = type.getMethod("handleRequest", InputStream.class, OutputStream.class, contextType);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newFixedThreadPool(args.length > 1 ? Integer.parseInt(args[1]) : 1));
        server.createContext("/", exchange -> {
            byte[] answer;
            int status = 200;
            try (InputStream in = exchange.getRequestBody()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                handle.invoke(handler, new ByteArrayInputStream(in.readAllBytes()), out, FcContext.context(loader));
                answer = out.toByteArray();
            } catch (Exception e) {
                status = 500; // FC's unhandled invocation error; the bench reports it and stops
                answer = e.getClass().getSimpleName().getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("content-type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        System.out.println("LISTENING " + server.getAddress().getPort());
        System.out.flush();
    }
}
