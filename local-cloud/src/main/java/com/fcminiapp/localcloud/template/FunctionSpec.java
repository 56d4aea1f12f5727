package com.fcminiapp.localcloud.template;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** One {@code Aliyun::Serverless::Function} of the template, with its references resolved. */
public final class FunctionSpec {

    private final String name;
    private final String handler;
    private final String initializer;
    private final Path codeUri;
    private final Map<String, String> environment;
    private final boolean httpTrigger;
    private final int timeoutSeconds;
    private final int memorySize;
    private final String preStop;
    private final int preStopTimeoutSeconds;
    private final int instanceConcurrency;

    public FunctionSpec(String name, String handler, String initializer, Path codeUri,
                        Map<String, String> environment, boolean httpTrigger, int timeoutSeconds, int memorySize) {
        this.name = name;
        this.handler = handler;
        this.initializer = initializer;
        this.codeUri = codeUri;
        this.environment = Map.copyOf(environment);
        this.httpTrigger = httpTrigger;
        this.timeoutSeconds = timeoutSeconds;
        this.memorySize = memorySize;
        this.preStop = null;
        this.preStopTimeoutSeconds = 0;
        this.instanceConcurrency = 1;
    }

    private FunctionSpec(FunctionSpec spec, String preStop, int preStopTimeoutSeconds, int instanceConcurrency) {
        this.name = spec.name;
        this.handler = spec.handler;
        this.initializer = spec.initializer;
        this.codeUri = spec.codeUri;
        this.environment = spec.environment;
        this.httpTrigger = spec.httpTrigger;
        this.timeoutSeconds = spec.timeoutSeconds;
        this.memorySize = spec.memorySize;
        this.preStop = preStop;
        this.preStopTimeoutSeconds = preStopTimeoutSeconds;
        this.instanceConcurrency = instanceConcurrency;
    }

    /** The same function with a PreStop handler ({@code InstanceLifecycleConfig.PreStop}); null for none. */
    public FunctionSpec withPreStop(String preStopHandler, int timeoutSeconds) {
        if (preStopHandler != null && timeoutSeconds < 1) {
            throw new IllegalArgumentException("function " + name + ": the PreStop Timeout must be 1 second or more");
        }
        return new FunctionSpec(this, preStopHandler, timeoutSeconds, instanceConcurrency);
    }

    /** The same function with FC's {@code InstanceConcurrency}: how many calls one instance takes at once. */
    public FunctionSpec withInstanceConcurrency(int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("function " + name + ": InstanceConcurrency must be 1 or more");
        }
        return new FunctionSpec(this, preStop, preStopTimeoutSeconds, concurrency);
    }

    public String name() { return name; }
    /** {@code com.example.Handler::handleRequest}. */
    public String handler() { return handler; }
    public Optional<String> initializer() { return Optional.ofNullable(initializer); }
    /** The code jar, absolute (CodeUri resolved against the template's folder). */
    public Path codeUri() { return codeUri; }
    /** EnvironmentVariables as the template gives them (before local-cloud's overrides). */
    public Map<String, String> environment() { return environment; }
    /** Whether the function has an HTTP trigger. */
    public boolean hasHttpTrigger() { return httpTrigger; }
    public int timeoutSeconds() { return timeoutSeconds; }
    public int memorySize() { return memorySize; }
    /** {@code com.example.Handler::preStop}, called before an instance stops. */
    public Optional<String> preStop() { return Optional.ofNullable(preStop); }
    /** How long the PreStop handler may run (its {@code Timeout}). */
    public int preStopTimeoutSeconds() { return preStopTimeoutSeconds; }
    /** {@code InstanceConcurrency}: the calls one FC instance serves at once (FC's default: 1). */
    public int instanceConcurrency() { return instanceConcurrency; }

    /** The class part of {@link #handler()}. */
    public String handlerClass() {
        return classOf(handler);
    }

    /** The class part of the initializer, if any. */
    public Optional<String> initializerClass() {
        return initializer().map(FunctionSpec::classOf);
    }

    /** The class part of the PreStop handler, if any. */
    public Optional<String> preStopClass() {
        return preStop().map(FunctionSpec::classOf);
    }

    private static String classOf(String handlerText) {
        int sep = handlerText.indexOf("::");
        return sep < 0 ? handlerText : handlerText.substring(0, sep);
    }
}
