package com.fcminiapp.db;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.Credentials;
import com.aliyun.fc.runtime.FunctionComputeLogger;
import com.aliyun.fc.runtime.FunctionParam;
import com.aliyun.fc.runtime.OpenTracing;
import com.aliyun.fc.runtime.Service;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** An FC context for tests: the execution key to hand out, a fresh request id, and a logger that keeps its lines. */
final class TestContext implements Context {

    final String requestId = UUID.randomUUID().toString();
    final List<String> lines;
    private final String accessKeyId;
    private final String accessKeySecret;
    private final String securityToken;

    TestContext(String accessKeyId, String accessKeySecret, String securityToken, List<String> lines) {
        this.accessKeyId = accessKeyId;
        this.accessKeySecret = accessKeySecret;
        this.securityToken = securityToken;
        this.lines = lines;
    }

    TestContext(String accessKeyId, String accessKeySecret, String securityToken) {
        this(accessKeyId, accessKeySecret, securityToken, new CopyOnWriteArrayList<>());
    }

    @Override
    public String getRequestId() {
        return requestId;
    }

    @Override
    public Credentials getExecutionCredentials() {
        return new Credentials() {
            @Override
            public String getAccessKeyId() {
                return accessKeyId;
            }

            @Override
            public String getAccessKeySecret() {
                return accessKeySecret;
            }

            @Override
            public String getSecurityToken() {
                return securityToken;
            }
        };
    }

    @Override
    public FunctionParam getFunctionParam() {
        return null;
    }

    @Override
    public Service getService() {
        return null;
    }

    @Override
    public FunctionComputeLogger getLogger() {
        return new FunctionComputeLogger() {
            @Override
            public void trace(String s) {
                lines.add("TRACE " + s);
            }

            @Override
            public void debug(String s) {
                lines.add("DEBUG " + s);
            }

            @Override
            public void info(String s) {
                lines.add("INFO " + s);
            }

            @Override
            public void warn(String s) {
                lines.add("WARN " + s);
            }

            @Override
            public void error(String s) {
                lines.add("ERROR " + s);
            }

            @Override
            public void fatal(String s) {
                lines.add("FATAL " + s);
            }

            @Override
            public void setLogLevel(Level level) {
                // every line is kept
            }
        };
    }

    @Override
    public OpenTracing getTracing() {
        return null;
    }

    @Override
    public int getRetryCount() {
        return 0;
    }
}
