package com.fcminiapp.localcloud.template;

import java.util.List;
import java.util.Optional;

/** One {@code Aliyun::Serverless::Service}, the functions under it and the policy documents of its role. */
public final class ServiceSpec {

    private final String name;
    private final List<FunctionSpec> functions;
    private final List<String> policies;

    public ServiceSpec(String name, List<FunctionSpec> functions) {
        this(name, functions, List.of());
    }

    public ServiceSpec(String name, List<FunctionSpec> functions, List<String> policies) {
        this.name = name;
        this.functions = List.copyOf(functions);
        this.policies = List.copyOf(policies);
    }

    /** The service's {@code Policies}: JSON policy documents, references resolved. */
    public List<String> policies() { return policies; }

    public String name() { return name; }
    public List<FunctionSpec> functions() { return functions; }

    public Optional<FunctionSpec> function(String functionName) {
        return functions.stream().filter(f -> f.name().equals(functionName)).findFirst();
    }
}
