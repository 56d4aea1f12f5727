package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a function's entry points inside its jar's own class loader, as FC's Java runtime would. */
final class JarFunctions {

    private JarFunctions() {
    }

    static void initialize(ClassLoader loader, Object handler, Object context) throws Exception {
        lifecycle(loader, handler, context, "initialize");
    }

    static void preStop(ClassLoader loader, Object handler, Object context) throws Exception {
        lifecycle(loader, handler, context, "preStop");
    }

    private static void lifecycle(ClassLoader loader, Object handler, Object context, String hook) throws Exception {
        Class<?> contextType = loader.loadClass("com.aliyun.fc.runtime.Context");
        handler.getClass().getMethod(hook, contextType).invoke(handler, context);
    }

    static JsonNode invoke(ClassLoader loader, Object handler, Object context, String event) throws Exception {
        Class<?> contextType = loader.loadClass("com.aliyun.fc.runtime.Context");
        Method handle = handler.getClass().getMethod("handleRequest", InputStream.class, OutputStream.class, contextType);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handle.invoke(handler, new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context);
        return DeployFiles.JSON.readTree(out.toByteArray());
    }

    /**
     * FC's Context, made from the jar's own interfaces, carrying an execution key; every line the function logs is
     * added to {@code logLines}.
     */
    static Object context(ClassLoader loader, String accessKeyId, String accessKeySecret, String securityToken,
                          List<String> logLines) throws Exception {
        Class<?> contextType = loader.loadClass("com.aliyun.fc.runtime.Context");
        Class<?> credentialsType = loader.loadClass("com.aliyun.fc.runtime.Credentials");
        Class<?> loggerType = loader.loadClass("com.aliyun.fc.runtime.FunctionComputeLogger");
        Object credentials = Proxy.newProxyInstance(loader, new Class<?>[] {credentialsType}, (p, m, a) -> {
            switch (m.getName()) {
                case "getAccessKeyId": return accessKeyId;
                case "getAccessKeySecret": return accessKeySecret;
                case "getSecurityToken": return securityToken;
                default: return defaultValue(m);
            }
        });
        Object logger = Proxy.newProxyInstance(loader, new Class<?>[] {loggerType}, (p, m, a) -> {
            if (a != null && a.length == 1 && a[0] instanceof String) {
                synchronized (logLines) {
                    logLines.add((String) a[0]);
                }
            }
            return defaultValue(m);
        });
        return Proxy.newProxyInstance(loader, new Class<?>[] {contextType}, (p, m, a) -> {
            switch (m.getName()) {
                case "getRequestId": return "deploy-it-request";
                case "getExecutionCredentials": return credentials;
                case "getLogger": return logger;
                default: return defaultValue(m);
            }
        });
    }

    private static Object defaultValue(Method m) {
        Class<?> r = m.getReturnType();
        if (r == int.class) {
            return 0;
        }
        if (r == long.class) {
            return 0L;
        }
        if (r == boolean.class) {
            return false;
        }
        return null;
    }
}
