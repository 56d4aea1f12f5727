package com.fcminiapp.localcloud.testing;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.Credentials;
import com.aliyun.fc.runtime.FunctionComputeLogger;
import com.aliyun.fc.runtime.FunctionParam;
import com.aliyun.fc.runtime.OpenTracing;
import com.aliyun.fc.runtime.Service;
import com.fcminiapp.localcloud.standin.CredentialRegistry;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/** An FC Context as the runtime hands it: a request id, the execution role's key and a logger tests can read. */
public final class TestContext implements Context {

    /** Every line the function logged through this context, with its level and request id. */
    public final List<String> logLines;
    private final CredentialRegistry.Credential key;
    private final String requestId = UUID.randomUUID().toString();

    /** A context handing out {@code key}, logging into {@code logLines} (shared across invocations if wanted). */
    public TestContext(CredentialRegistry.Credential key, List<String> logLines) {
        this.key = key;
        this.logLines = logLines;
    }

    public TestContext(CredentialRegistry.Credential key) {
        this(key, new CopyOnWriteArrayList<>());
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
                return key.accessKeyId;
            }

            @Override
            public String getAccessKeySecret() {
                return key.accessKeySecret;
            }

            @Override
            public String getSecurityToken() {
                return key.securityToken;
            }
        };
    }

    @Override
    public FunctionParam getFunctionParam() {
        return new FunctionParam() {
            @Override
            public String getFunctionName() {
                return "session";
            }

            @Override
            public String getFunctionHandler() {
                return "com.fcminiapp.session.SessionInvokeHandler::handleRequest";
            }

            @Override
            public String getFunctionInitializer() {
                return "com.fcminiapp.session.SessionInvokeHandler::initialize";
            }

            @Override
            public int getExecTimeLimitInMillis() {
                return 15000;
            }

            @Override
            public int getMemoryLimitInMB() {
                return 512;
            }
        };
    }

    @Override
    public Service getService() {
        return new Service() {
            @Override
            public String getName() {
                return "fc-miniapp";
            }

            @Override
            public String getLogProject() {
                return "";
            }

            @Override
            public String getLogStore() {
                return "";
            }

            @Override
            public String getQualifier() {
                return "LATEST";
            }

            @Override
            public String getVersionId() {
                return "";
            }
        };
    }

    @Override
    public FunctionComputeLogger getLogger() {
        return new FunctionComputeLogger() {
            private void add(String level, String line) {
                logLines.add(level + " " + requestId + " " + line);
            }

            @Override
            public void trace(String s) {
                add("TRACE", s);
            }

            @Override
            public void debug(String s) {
                add("DEBUG", s);
            }

            @Override
            public void info(String s) {
                add("INFO", s);
            }

            @Override
            public void warn(String s) {
                add("WARN", s);
            }

            @Override
            public void error(String s) {
                add("ERROR", s);
            }

            @Override
            public void fatal(String s) {
                add("FATAL", s);
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
