import java.lang.reflect.Proxy;
import java.util.UUID;

/**
 * The FC runtime's {@code Context} as the benchmark runners hand it to a handler: dynamic proxies over fc-java-core's
 * interfaces (loaded by the function's class loader), credentials from the environment, a fresh request id per call.
 * Shared by FcRunner and LaunchInstance; compiled beside them, never built into a jar.
 */
final class FcContext {

    private FcContext() {
    }

    /** Each interface method answers by name; the logger writes to stderr as FC's log tail would. */
    static Object context(ClassLoader loader) throws Exception {
        Object credentials = proxy(loader, "com.aliyun.fc.runtime.Credentials", (name, args) -> {
            switch (name) {
                case "getAccessKeyId": return System.getenv("ACCESS_KEY_ID");
                case "getAccessKeySecret": return System.getenv("ACCESS_KEY_SECRET");
                case "getSecurityToken": return System.getenv("SECURITY_TOKEN");
                default: return null;
            }
        });
        Object logger = proxy(loader, "com.aliyun.fc.runtime.FunctionComputeLogger", (name, args) -> {
            if (args != null && args.length > 0) {
                System.err.println(name + " " + args[0]);
            }
            return null;
        });
        Object param = proxy(loader, "com.aliyun.fc.runtime.FunctionParam", (name, args) -> null);
        String requestId = UUID.randomUUID().toString();
        return proxy(loader, "com.aliyun.fc.runtime.Context", (name, args) -> {
            switch (name) {
                case "getRequestId": return requestId;
                case "getExecutionCredentials": return credentials;
                case "getFunctionParam": return param;
                case "getLogger": return logger;
                default: return null;
            }
        });
    }

    private interface Answer {
        Object apply(String name, Object[] args);
    }

    private static Object proxy(ClassLoader loader, String interfaceName, Answer answer) throws ClassNotFoundException {
        Class<?> type = Class.forName(interfaceName, false, loader);
        return Proxy.newProxyInstance(loader, new Class<?>[] {type}, (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? interfaceName : method.getName().equals("hashCode")
                        ? System.identityHashCode(self) : self == args[0];
            }
            return answer.apply(method.getName(), args);
        });
    }
}
