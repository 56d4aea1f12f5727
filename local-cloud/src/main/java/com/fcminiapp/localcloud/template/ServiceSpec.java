package com.fcminiapp.localcloud.template;

import java.util.List;
import java.util.Optional;

/** One {@code Aliyun::Serverless::Service} and the functions under it. */
public final class ServiceSpec {

    private final String name;
    private final List<FunctionSpec> functions;

    public ServiceSpec(String name, List<FunctionSpec> functions) {
        this.name = name;
        this.functions = List.copyOf(functions);
    }

    public String name() { return name; }
    public List<FunctionSpec> functions() { return functions; }

    public Optional<FunctionSpec> function(String functionName) {
        return functions.stream().filter(f -> f.name().equals(functionName)).findFirst();
    }
}
