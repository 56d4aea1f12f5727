package com.fcminiapp.localcloud.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Funcraft template ({@code Transform: Aliyun::Serverless-2018-04-03}): the services, their functions
 * (Handler, Initializer, CodeUri, EnvironmentVariables, HTTP triggers, {@code InstanceLifecycleConfig.PreStop}),
 * each service's {@code Policies} (the statements of the role the transform creates for it) and the Tablestore
 * tables, and the {@code ALIYUN::RAM::Role} resources with their {@code Policies}. {@code !Ref Param} / {@code Ref} become the Parameter's Default (or, for a Parameter without one, the
 * local value given to the constructor), {@code !Sub} / {@code Fn::Sub} substitute {@code ${Param}} and
 * {@code ${ALIYUN::…}} pseudo parameters; other resources are ignored.
 */
public final class TemplateReader {

    private static final String SERVICE = "Aliyun::Serverless::Service";
    /** A PreStop without a Timeout gets FC's default function timeout. */
    static final int DEFAULT_PRESTOP_TIMEOUT_SECONDS = 3;
    private static final String FUNCTION = "Aliyun::Serverless::Function";
    private static final String TABLESTORE = "Aliyun::Serverless::TableStore";
    private static final String TABLE = "Aliyun::Serverless::TableStore::Table";
    /** A plain ROS table, whose instance and name may come from Parameters (template.yml's form). */
    private static final String ROS_TABLE = "ALIYUN::OTS::Table";
    private static final String ROS_SEARCH_INDEX = "ALIYUN::OTS::SearchIndex";
    /** A RAM role the template creates (template.yml's InvokeRole). */
    private static final String ROS_ROLE = "ALIYUN::RAM::Role";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}]+)}");

    private final Map<String, String> pseudoParameters;
    private final Map<String, String> localParameters;

    /** @param pseudoParameters values for {@code ALIYUN::Region}, {@code ALIYUN::AccountId} and the like */
    public TemplateReader(Map<String, String> pseudoParameters) {
        this(pseudoParameters, Map.of());
    }

    /**
     * @param localParameters values for Parameters the template gives no Default (a Parameter without either
     *                        resolves to the empty string)
     */
    public TemplateReader(Map<String, String> pseudoParameters, Map<String, String> localParameters) {
        this.pseudoParameters = Map.copyOf(pseudoParameters);
        this.localParameters = Map.copyOf(localParameters);
    }

    /** Reads {@code template}; CodeUri paths are resolved against its folder. */
    public List<ServiceSpec> read(Path template) throws IOException {
        try (Reader in = Files.newBufferedReader(template, StandardCharsets.UTF_8)) {
            Object root = new Yaml(new FunTagConstructor()).load(in);
            return parse(root, template.toAbsolutePath().getParent());
        }
    }

    /** Reads template text; CodeUri paths are resolved against {@code baseDir}. */
    public List<ServiceSpec> read(String text, Path baseDir) {
        Object root = new Yaml(new FunTagConstructor()).load(text);
        return parse(root, baseDir);
    }

    /**
     * The tables of {@code template}: {@code Aliyun::Serverless::TableStore::Table} children of an instance resource
     * (named by their keys) and {@code ALIYUN::OTS::Table} resources (named by InstanceName and TableName).
     */
    public List<TableSpec> readTables(Path template) throws IOException {
        try (Reader in = Files.newBufferedReader(template, StandardCharsets.UTF_8)) {
            Map<String, Object> top = map(new Yaml(new FunTagConstructor()).load(in), "the template");
            Resolver resolver = resolver(top);
            List<TableSpec> tables = new ArrayList<>();
            map(top.getOrDefault("Resources", Map.of()), "Resources").forEach((instance, value) -> {
                if (value instanceof Map && TABLESTORE.equals(((Map<?, ?>) value).get("Type"))) {
                    map(value, instance).forEach((table, child) -> {
                        if (child instanceof Map && TABLE.equals(((Map<?, ?>) child).get("Type"))) {
                            tables.add(table(instance, table, map(child, table), "PrimaryKeyList", resolver));
                        }
                    });
                } else if (value instanceof Map && ROS_TABLE.equals(((Map<?, ?>) value).get("Type"))) {
                    Map<String, Object> props = map(((Map<?, ?>) value).get("Properties"), instance + ".Properties");
                    tables.add(table(resolver.string(props.get("InstanceName")), resolver.string(props.get("TableName")),
                            map(value, instance), "PrimaryKey", resolver));
                }
            });
            return tables;
        }
    }

    /**
     * The {@code ALIYUN::OTS::SearchIndex} resources of {@code template}, in template order, intrinsics resolved
     * (FieldSchemas, IndexSort and IndexSetting may also be JSON text, as a {@code Json} parameter gives them).
     */
    public List<SearchIndexSpec> readSearchIndexes(Path template) throws IOException {
        try (Reader in = Files.newBufferedReader(template, StandardCharsets.UTF_8)) {
            Map<String, Object> top = map(new Yaml(new FunTagConstructor()).load(in), "the template");
            Resolver resolver = resolver(top);
            List<SearchIndexSpec> indexes = new ArrayList<>();
            map(top.getOrDefault("Resources", Map.of()), "Resources").forEach((resource, value) -> {
                if (value instanceof Map && ROS_SEARCH_INDEX.equals(((Map<?, ?>) value).get("Type"))) {
                    Map<String, Object> props = new LinkedHashMap<>(map(resolver.deep(
                            ((Map<?, ?>) value).get("Properties")), resource + ".Properties"));
                    for (String json : List.of("FieldSchemas", "IndexSort", "IndexSetting")) {
                        props.computeIfPresent(json, (key, given) -> given instanceof String ? json(resource, key,
                                (String) given) : given);
                    }
                    indexes.add(SearchIndexSpec.of(resource, props));
                }
            });
            return indexes;
        }
    }

    private static Object json(String resource, String key, String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(resource + "." + key + " is neither a mapping nor JSON text");
        }
    }

    /**
     * The {@code ALIYUN::RAM::Role} resources of {@code template}: each role's {@code RoleName} (resolved; roles
     * without one are left out) → its {@code Policies[].PolicyDocument} as JSON documents, intrinsics resolved.
     */
    public Map<String, List<String>> readRoles(Path template) throws IOException {
        try (Reader in = Files.newBufferedReader(template, StandardCharsets.UTF_8)) {
            return roles(new Yaml(new FunTagConstructor()).load(in));
        }
    }

    /** As {@link #readRoles(Path)}, from template text. */
    public Map<String, List<String>> readRoles(String text) {
        return roles(new Yaml(new FunTagConstructor()).load(text));
    }

    private Map<String, List<String>> roles(Object root) {
        Map<String, Object> top = map(root, "the template");
        Resolver resolver = resolver(top);
        Map<String, List<String>> roles = new LinkedHashMap<>();
        map(top.getOrDefault("Resources", Map.of()), "Resources").forEach((key, value) -> {
            if (!(value instanceof Map) || !ROS_ROLE.equals(((Map<?, ?>) value).get("Type"))) {
                return;
            }
            Map<String, Object> props = map(((Map<?, ?>) value).get("Properties"), key + ".Properties");
            String name = resolver.string(props.get("RoleName"));
            if (name == null || name.isBlank()) {
                return;
            }
            List<Object> documents = new ArrayList<>();
            Object policies = props.getOrDefault("Policies", List.of());
            for (Object policy : policies instanceof List ? (List<?>) policies : List.of(policies)) {
                Object document = map(policy, key + ".Policies").get("PolicyDocument");
                if (document != null) {
                    documents.add(document);
                }
            }
            roles.put(name, policies(documents, resolver));
        });
        return roles;
    }

    private TableSpec table(String instance, String name, Map<String, Object> resource, String keyList,
                            Resolver resolver) {
        Map<String, Object> props = map(resource.getOrDefault("Properties", Map.of()), name + ".Properties");
        Map<String, String> keys = new LinkedHashMap<>();
        Object list = props.getOrDefault(keyList, List.of());
        for (Object column : list instanceof List ? (List<?>) list : List.of()) {
            Map<String, Object> c = map(column, name + ".PrimaryKeyList");
            keys.put(resolver.string(c.get("Name")), String.valueOf(resolver.string(c.getOrDefault("Type", "STRING"))));
        }
        return new TableSpec(instance, name, keys);
    }

    private Resolver resolver(Map<String, Object> top) {
        Map<String, String> parameters = new LinkedHashMap<>();
        map(top.getOrDefault("Parameters", Map.of()), "Parameters").forEach((name, spec) -> {
            Object def = spec instanceof Map ? ((Map<?, ?>) spec).get("Default") : null;
            parameters.put(name, def != null ? String.valueOf(def) : localParameters.getOrDefault(name, ""));
        });
        return new Resolver(parameters);
    }

    private List<ServiceSpec> parse(Object root, Path baseDir) {
        Map<String, Object> top = map(root, "the template");
        Resolver resolver = resolver(top);
        List<ServiceSpec> services = new ArrayList<>();
        map(top.getOrDefault("Resources", Map.of()), "Resources").forEach((serviceName, value) -> {
            if (!(value instanceof Map) || !SERVICE.equals(((Map<?, ?>) value).get("Type"))) {
                return;
            }
            Map<String, Object> service = map(value, serviceName);
            List<FunctionSpec> functions = new ArrayList<>();
            service.forEach((functionName, child) -> {
                if (child instanceof Map && FUNCTION.equals(((Map<?, ?>) child).get("Type"))) {
                    functions.add(function(functionName, map(child, functionName), resolver, baseDir));
                }
            });
            Map<String, Object> props = map(service.getOrDefault("Properties", Map.of()), serviceName + ".Properties");
            services.add(new ServiceSpec(serviceName, functions, policies(props.get("Policies"), resolver)));
        });
        return services;
    }

    private FunctionSpec function(String name, Map<String, Object> resource, Resolver resolver, Path baseDir) {
        Map<String, Object> props = map(resource.getOrDefault("Properties", Map.of()), name + ".Properties");
        String handler = resolver.string(props.get("Handler"));
        String codeUri = resolver.string(props.get("CodeUri"));
        if (handler == null || codeUri == null) {
            throw new IllegalArgumentException("function " + name + " needs Handler and CodeUri");
        }
        Map<String, String> env = new LinkedHashMap<>();
        map(props.getOrDefault("EnvironmentVariables", Map.of()), name + ".EnvironmentVariables")
                .forEach((k, v) -> env.put(k, resolver.string(v) == null ? "" : resolver.string(v)));
        boolean http = false;
        for (Object event : map(resource.getOrDefault("Events", Map.of()), name + ".Events").values()) {
            if (event instanceof Map && "HTTP".equalsIgnoreCase(String.valueOf(((Map<?, ?>) event).get("Type")))) {
                http = true;
            }
        }
        FunctionSpec spec = new FunctionSpec(name, handler, resolver.string(props.get("Initializer")),
                baseDir.resolve(codeUri).normalize(), env, http,
                integer(resolver.string(props.get("Timeout")), 3), integer(resolver.string(props.get("MemorySize")), 128))
                .withInstanceConcurrency(Math.max(1, integer(resolver.string(props.get("InstanceConcurrency")), 1)));
        Map<String, Object> preStop = map(map(props.getOrDefault("InstanceLifecycleConfig", Map.of()),
                name + ".InstanceLifecycleConfig").getOrDefault("PreStop", Map.of()),
                name + ".InstanceLifecycleConfig.PreStop");
        String preStopHandler = resolver.string(preStop.get("Handler"));
        // Funcraft sends an empty Handler for "no PreStop" (lib/fc.js transformInstanceLifecycleConfig)
        return preStopHandler == null || preStopHandler.isBlank() ? spec
                : spec.withPreStop(preStopHandler, integer(resolver.string(preStop.get("Timeout")),
                        DEFAULT_PRESTOP_TIMEOUT_SECONDS));
    }

    /**
     * The service's {@code Policies} as JSON documents, intrinsics resolved. Funcraft also accepts names of system
     * policies (strings) there; they are kept as names local-cloud does not know, so they grant nothing.
     */
    private static List<String> policies(Object policies, Resolver resolver) {
        List<String> out = new ArrayList<>();
        if (policies == null) {
            return out;
        }
        for (Object policy : policies instanceof List ? (List<?>) policies : List.of(policies)) {
            if (policy instanceof Map) {
                try {
                    out.add(JSON.writeValueAsString(resolver.deep(policy)));
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("a service policy cannot be written as JSON", e);
                }
            }
        }
        return out;
    }

    private static int integer(String text, int defaultValue) {
        try {
            return text == null ? defaultValue : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(where + " must be a mapping");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<Object, Object>) value).forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /** Turns scalars, {@code Ref} and {@code Fn::Sub} into strings. */
    private final class Resolver {
        private final Map<String, String> parameters;

        Resolver(Map<String, String> parameters) {
            this.parameters = parameters;
        }

        /** Resolves intrinsics anywhere inside lists and mappings (a policy document). */
        Object deep(Object value) {
            if (value instanceof Map && (((Map<?, ?>) value).containsKey("Ref")
                    || ((Map<?, ?>) value).containsKey("Fn::Sub"))) {
                return string(value);
            }
            if (value instanceof Map) {
                Map<String, Object> out = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> out.put(String.valueOf(k), deep(v)));
                return out;
            }
            if (value instanceof List) {
                List<Object> out = new ArrayList<>();
                ((List<?>) value).forEach(v -> out.add(deep(v)));
                return out;
            }
            return value instanceof Number || value instanceof Boolean ? String.valueOf(value) : value;
        }

        String string(Object value) {
            if (value == null) {
                return null;
            }
            if (value instanceof Map) {
                Map<?, ?> fn = (Map<?, ?>) value;
                if (fn.containsKey("Ref")) {
                    return reference(String.valueOf(fn.get("Ref")));
                }
                if (fn.containsKey("Fn::Sub")) {
                    return sub(fn.get("Fn::Sub"));
                }
                throw new IllegalArgumentException("unsupported intrinsic function " + fn.keySet());
            }
            return String.valueOf(value);
        }

        private String sub(Object arg) {
            String text;
            Map<?, ?> vars = Map.of();
            if (arg instanceof List) {
                List<?> list = (List<?>) arg;
                text = String.valueOf(list.get(0));
                if (list.size() > 1 && list.get(1) instanceof Map) {
                    vars = (Map<?, ?>) list.get(1);
                }
            } else {
                text = String.valueOf(arg);
            }
            Matcher m = SUB.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String replacement = vars.containsKey(name) ? string(vars.get(name)) : reference(name);
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            return out.toString();
        }

        private String reference(String name) {
            if (parameters.containsKey(name)) {
                return parameters.get(name);
            }
            if (pseudoParameters.containsKey(name)) {
                return pseudoParameters.get(name);
            }
            throw new IllegalArgumentException("unresolved reference " + name);
        }
    }

    /** SnakeYAML constructor that turns the short forms {@code !Ref x} and {@code !Sub x} into their long forms. */
    private static final class FunTagConstructor extends SafeConstructor {
        FunTagConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new Intrinsic("Ref"));
            yamlConstructors.put(new Tag("!Sub"), new Intrinsic("Fn::Sub"));
            yamlConstructors.put(new Tag("!GetAtt"), new Intrinsic("Fn::GetAtt"));
            yamlConstructors.put(new Tag("!Join"), new Intrinsic("Fn::Join"));
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String key;

            Intrinsic(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode) {
                    value = constructScalar((ScalarNode) node);
                } else if (node instanceof SequenceNode) {
                    value = constructSequence((SequenceNode) node);
                } else {
                    value = constructMapping((org.yaml.snakeyaml.nodes.MappingNode) node);
                }
                Map<String, Object> fn = new LinkedHashMap<>();
                fn.put(key, value);
                return fn;
            }
        }
    }
}
