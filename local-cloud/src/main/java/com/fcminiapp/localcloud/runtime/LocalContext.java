package com.fcminiapp.localcloud.runtime;

import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.Credentials;
import com.aliyun.fc.runtime.FunctionComputeLogger;
import com.aliyun.fc.runtime.FunctionParam;
import com.aliyun.fc.runtime.OpenTracing;
import com.aliyun.fc.runtime.Service;
import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;
import com.fcminiapp.localcloud.template.FunctionSpec;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@link Context} local-cloud passes a function: request id, execution key, function and service params, and a
 * logger that prints to the console and keeps this invocation's lines for the console's invocation log.
 */
public final class LocalContext implements Context {

    /**
     * Characters of log lines kept per invocation (the invocation log keeps 500 invocations, so at most ~16 MB):
     * past it the first lines are kept with a count of the rest, which the console output still has in full.
     */
    public static final int MAX_KEPT_CHARS = 16_000;
    /** Characters kept of one line. */
    public static final int MAX_LINE_CHARS = 2_000;

    private final String requestId;
    private final Credential credential;
    private final FunctionSpec function;
    private final String serviceName;
    private final String qualifier;
    private final ConsoleLogger logger;

    public LocalContext(String requestId, Credential credential, FunctionSpec function, String serviceName,
                        String qualifier, PrintStream console) {
        this.requestId = requestId;
        this.credential = credential;
        this.function = function;
        this.serviceName = serviceName;
        this.qualifier = qualifier;
        this.logger = new ConsoleLogger(requestId, console);
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
                return credential.accessKeyId;
            }

            @Override
            public String getAccessKeySecret() {
                return credential.accessKeySecret;
            }

            @Override
            public String getSecurityToken() {
                return credential.securityToken;
            }
        };
    }

    @Override
    public FunctionParam getFunctionParam() {
        return new FunctionParam() {
            @Override
            public String getFunctionName() {
                return function.name();
            }

            @Override
            public String getFunctionHandler() {
                return function.handler();
            }

            @Override
            public String getFunctionInitializer() {
                return function.initializer().orElse(null);
            }

            @Override
            public int getExecTimeLimitInMillis() {
                return function.timeoutSeconds() * 1000;
            }

            @Override
            public int getMemoryLimitInMB() {
                return function.memorySize();
            }
        };
    }

    @Override
    public Service getService() {
        return new Service() {
            @Override
            public String getName() {
                return serviceName;
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
                return qualifier;
            }

            @Override
            public String getVersionId() {
                return "";
            }
        };
    }

    @Override
    public FunctionComputeLogger getLogger() {
        return logger;
    }

    /** The lines this invocation logged so far, as printed (at most {@link #MAX_KEPT_CHARS}, then a count). */
    public List<String> logLines() {
        return logger.kept();
    }

    @Override
    public OpenTracing getTracing() {
        return new OpenTracing() {
            @Override
            public String getSpanContext() {
                return "";
            }

            @Override
            public Map<String, String> getSpanBaggages() {
                return Map.of();
            }

            @Override
            public String getJaegerEndpoint() {
                return "";
            }
        };
    }

    @Override
    public int getRetryCount() {
        return 0;
    }

    /**
     * Prints {@code <time> <requestId> [LEVEL] message} to the console, as FC's Java logger does, and keeps the lines
     * (bounded, so a chatty function cannot fill the memory of the invocation log).
     */
    static final class ConsoleLogger implements FunctionComputeLogger {
        private final String requestId;
        private final PrintStream out;
        private final List<String> kept = new ArrayList<>();
        private int keptChars;
        private int dropped;
        private volatile Level level = Level.INFO;

        ConsoleLogger(String requestId, PrintStream out) {
            this.requestId = requestId;
            this.out = out;
        }

        private void log(Level at, String message) {
            if (at.compareTo(level) >= 0) {
                String line = Instant.now() + " " + requestId + " [" + at + "] " + message;
                out.println(line);
                keep(line);
            }
        }

        private synchronized void keep(String line) {
            String shortened = line.length() <= MAX_LINE_CHARS ? line : line.substring(0, MAX_LINE_CHARS) + "…";
            if (dropped == 0 && keptChars + shortened.length() <= MAX_KEPT_CHARS) {
                kept.add(shortened);
                keptChars += shortened.length();
            } else {
                dropped++;
            }
        }

        synchronized List<String> kept() {
            List<String> lines = new ArrayList<>(kept);
            if (dropped > 0) {
                lines.add("(" + dropped + " more lines not kept; the console output has them)");
            }
            return lines;
        }

        @Override public void trace(String s) { log(Level.TRACE, s); }
        @Override public void debug(String s) { log(Level.DEBUG, s); }
        @Override public void info(String s) { log(Level.INFO, s); }
        @Override public void warn(String s) { log(Level.WARN, s); }
        @Override public void error(String s) { log(Level.ERROR, s); }
        @Override public void fatal(String s) { log(Level.FATAL, s); }

        @Override
        public void setLogLevel(Level newLevel) {
            level = newLevel;
        }
    }
}
