package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/deploy.md against what it describes: every value s.yaml reads (each {@code ${env('NAME')}} and each
 * {@code vars} key) is explained there, every policy file in deploy/policies/ is referenced there and is a RAM policy
 * document, the deploying user's policy grants no wildcard and passes only the functions' roles (the two built-ins' and
 * an app function's own), and the doc leads with Serverless Devs and calls Funcraft discontinued. An app function's
 * role file, deploy/policies/&lt;name&gt;-role.json, is explained by the doc's one section on app functions.
 */
class DeployDocIT {

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env\\('([A-Za-z_][A-Za-z0-9_]*)'");
    private static final Pattern VARS_REFERENCE = Pattern.compile("\\$\\{vars\\.([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern PLACEHOLDER = Pattern.compile("<[A-Za-z]+>");
    /** A RAM action: {@code service:Operation}, where the operation may hold {@code *}; or {@code *} alone. */
    private static final Pattern ACTION = Pattern.compile("\\*|[a-z0-9-]+:[A-Za-z0-9*]+");
    /** A role ARN naming exactly one role of this account (a placeholder or a name, no wildcard). */
    private static final Pattern ROLE_ARN = Pattern.compile("acs:ram::<accountId>:role/(<[A-Za-z]+>|[A-Za-z0-9._-]+)");
    private static final Set<String> STATEMENT_KEYS =
            Set.of("Effect", "Action", "NotAction", "Resource", "NotResource", "Condition");
    /** The roles s.yaml passes to FC: FC_SESSION_ROLE_ARN and FC_DB_ROLE_ARN, as docs/deploy.md builds them. */
    private static final Set<String> FUNCTION_ROLES =
            Set.of("acs:ram::<accountId>:role/<sessionRoleName>", "acs:ram::<accountId>:role/<dbRoleName>");
    /** How docs/deploy.md names every app function's role file. */
    static final String APP_ROLE_FILE = "deploy/policies/<name>-role.json";

    @Test
    void everyEnvironmentVariableSYamlReadsIsExplainedInTheDoc() throws IOException {
        Set<String> names = matches(ENV_REFERENCE, read("s.yaml"));
        assertThat(names).as("${env('…')} in s.yaml").contains("FC_DEPLOY_REGION", "FC_SESSION_ROLE_ARN",
                "FC_DB_ROLE_ARN", "TABLESTORE_INSTANCE", "LOG_PROJECT", "STS_ROLE_ARN", "OSS_BUCKET",
                "ALIPAY_APP_ID", "ALIPAY_PRIVATE_KEY", "ALIPAY_PUBLIC_KEY");
        String doc = read("docs/deploy.md");
        List<String> missing = names.stream()
                .filter(name -> !Pattern.compile("(?<![A-Za-z0-9_])" + name + "(?![A-Za-z0-9_])").matcher(doc).find())
                .collect(Collectors.toList());
        assertThat(missing).as("environment variables s.yaml reads that docs/deploy.md never names").isEmpty();
    }

    @Test
    void everySYamlVarIsExplainedInTheDoc() throws IOException {
        JsonNode vars = DeployFiles.yaml("s.yaml").path("vars");
        Set<String> keys = new TreeSet<>();
        vars.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as("s.yaml vars").contains("region", "sessionRole", "dbRole", "tablestoreInstance",
                "logProject");
        assertThat(keys).as("every ${vars.…} s.yaml uses is declared").containsAll(matches(VARS_REFERENCE,
                read("s.yaml")));
        String doc = read("docs/deploy.md");
        List<String> missing = keys.stream()
                .filter(key -> !doc.contains("`" + key + "`") && !doc.contains("vars." + key))
                .collect(Collectors.toList());
        assertThat(missing).as("s.yaml vars that docs/deploy.md never names (as `key` or vars.key)").isEmpty();
    }

    @Test
    void everyPolicyFileIsReferencedByTheDocAndIsARamPolicyDocument() throws IOException {
        List<Path> files = policyFiles();
        assertThat(files.stream().map(f -> f.getFileName().toString()))
                .contains("deployer.json", "session-role.json", "db-role.json", "invoke-role.json");
        String doc = read("docs/deploy.md");
        List<String> apps = Descriptors.sYamlAppFunctions(DeployFiles.yaml("s.yaml"));
        for (Path file : files) {
            String name = "deploy/policies/" + file.getFileName();
            boolean appRole = apps.contains(file.getFileName().toString().replace("-role.json", ""));
            assertThat(doc).as("docs/deploy.md references " + name).contains(appRole ? APP_ROLE_FILE : name);
            JsonNode policy = DeployFiles.JSON.readTree(file.toFile());
            assertThat(documentProblems(policy)).as(name + " as a RAM policy document").isEmpty();
            assertThat(starOnStar(policy)).as(name + ": a * action on a * resource").isEmpty();
            for (String placeholder : matches(PLACEHOLDER, Files.readString(file, StandardCharsets.UTF_8))) {
                assertThat(doc).as("docs/deploy.md says what replaces " + placeholder + " in " + name)
                        .contains(placeholder);
            }
        }
    }

    @Test
    void theDeployersPolicyHasNoWildcardActionAndPassesOnlyTheFunctionsRoles() throws IOException {
        JsonNode deployer = policy("deployer.json");
        assertThat(deployerProblems(deployer)).isEmpty();
        Set<String> functionRoles = new TreeSet<>(FUNCTION_ROLES);
        for (String app : Descriptors.sYamlAppFunctions(DeployFiles.yaml("s.yaml"))) {
            functionRoles.add("acs:ram::<accountId>:role/" + Descriptors.APP_PREFIX + app);
        }
        assertThat(passedRoles(deployer)).as("ram:PassRole resources").containsAll(FUNCTION_ROLES)
                .isSubsetOf(functionRoles);
    }

    @Test
    void theDeployerCheckRefusesAFullAccessActionAStarResourceAndAWiderPassRole() throws IOException {
        ObjectNode fcStar = (ObjectNode) policy("deployer.json").deepCopy();
        ((ArrayNode) fcStar.path("Statement").get(0).path("Action")).add("fc:*");
        assertThat(deployerProblems(fcStar)).anyMatch(p -> p.contains("fc:*"));

        ObjectNode starOnStar = (ObjectNode) policy("deployer.json").deepCopy();
        ((ArrayNode) starOnStar.path("Statement")).addObject().put("Effect", "Allow").put("Action", "*")
                .put("Resource", "*");
        assertThat(starOnStar(starOnStar)).isNotEmpty();
        assertThat(deployerProblems(starOnStar)).isNotEmpty();

        ObjectNode anyRole = (ObjectNode) policy("deployer.json").deepCopy();
        ((ArrayNode) anyRole.path("Statement")).addObject().put("Effect", "Allow").put("Action", "ram:PassRole")
                .put("Resource", "acs:ram::<accountId>:role/*");
        assertThat(deployerProblems(anyRole)).anyMatch(p -> p.contains("ram:PassRole"));

        ObjectNode roleWriter = (ObjectNode) policy("deployer.json").deepCopy();
        ((ArrayNode) roleWriter.path("Statement")).addObject().put("Effect", "Allow")
                .put("Action", "ram:AttachPolicyToRole").put("Resource", "acs:ram:*:<accountId>:role/<dbRoleName>");
        assertThat(deployerProblems(roleWriter)).anyMatch(p -> p.contains("ram:AttachPolicyToRole"));

        ObjectNode noVersion = (ObjectNode) policy("deployer.json").deepCopy();
        noVersion.remove("Version");
        assertThat(documentProblems(noVersion)).isNotEmpty();
    }

    @Test
    void serverlessDevsIsTheFirstDeploymentSectionAndFuncraftIsCalledDiscontinued() throws IOException {
        String doc = read("docs/deploy.md");
        List<String> deploySections = doc.lines()
                .filter(line -> line.startsWith("## "))
                .filter(line -> line.contains("Serverless Devs") || line.contains("Funcraft"))
                .collect(Collectors.toList());
        assertThat(deploySections).as("## sections naming Serverless Devs or Funcraft").hasSizeGreaterThanOrEqualTo(2);
        assertThat(deploySections.get(0)).as("the first deployment section").contains("Serverless Devs")
                .doesNotContain("Funcraft");
        assertThat(deploySections).as("Funcraft stays as a later section").anyMatch(s -> s.contains("Funcraft"));
        List<String> paragraphs = Stream.of(doc.split("\\n\\s*\\n")).collect(Collectors.toList());
        assertThat(paragraphs).as("a paragraph that calls Funcraft discontinued")
                .anyMatch(p -> p.contains("Funcraft") && p.toLowerCase().contains("discontinued"));
    }

    /** Why {@code policy} is not a RAM policy document (Version "1", a Statement list, Effect/Action/Resource each). */
    static List<String> documentProblems(JsonNode policy) {
        List<String> problems = new ArrayList<>();
        if (!policy.path("Version").isTextual() || !"1".equals(policy.path("Version").asText())) {
            problems.add("Version is not \"1\"");
        }
        JsonNode statements = policy.path("Statement");
        if (!statements.isArray() || statements.isEmpty()) {
            problems.add("Statement is not a non-empty list");
            return problems;
        }
        for (JsonNode statement : statements) {
            if (!statement.isObject()) {
                problems.add("a statement is no object: " + statement);
                continue;
            }
            for (Iterator<String> keys = statement.fieldNames(); keys.hasNext(); ) {
                String key = keys.next();
                if (!STATEMENT_KEYS.contains(key)) {
                    problems.add("unknown statement key " + key + ": " + statement);
                }
            }
            String effect = statement.path("Effect").asText();
            if (!effect.equals("Allow") && !effect.equals("Deny")) {
                problems.add("Effect is neither Allow nor Deny: " + statement);
            }
            List<String> actions = strings(statement.path("Action"));
            if (actions.isEmpty() || !actions.stream().allMatch(a -> ACTION.matcher(a).matches())) {
                problems.add("Action is not one or more service:Operation names: " + statement);
            }
            List<String> resources = strings(statement.path("Resource"));
            if (resources.isEmpty() || resources.stream().anyMatch(String::isBlank)) {
                problems.add("Resource is not one or more resource names: " + statement);
            }
        }
        return problems;
    }

    /** The statements of {@code policy} allowing a {@code *} action on a {@code *} resource. */
    static List<String> starOnStar(JsonNode policy) {
        List<String> found = new ArrayList<>();
        for (JsonNode statement : policy.path("Statement")) {
            if (strings(statement.path("Action")).contains("*") && strings(statement.path("Resource")).contains("*")) {
                found.add(statement.toString());
            }
        }
        return found;
    }

    /**
     * Why {@code policy} is too wide for the deploying user: any malformation, any wildcard action (a
     * {@code *} or a FullAccess-like {@code fc:*}, {@code ram:*}, {@code fc:Get*}), any RAM action but PassRole (the
     * deployer must not be able to change what a role holds), and PassRole on anything but single role ARNs.
     */
    static List<String> deployerProblems(JsonNode policy) {
        List<String> problems = new ArrayList<>(documentProblems(policy));
        problems.addAll(starOnStar(policy));
        for (JsonNode statement : policy.path("Statement")) {
            if (statement.has("NotAction") || statement.has("NotResource")) {
                problems.add("NotAction/NotResource widen a grant: " + statement);
            }
            for (String action : strings(statement.path("Action"))) {
                if (action.contains("*")) {
                    problems.add("wildcard action " + action + ": " + statement);
                }
                if (action.startsWith("ram:") && !action.equals("ram:PassRole")) {
                    problems.add(action + " lets the deployer change roles: " + statement);
                }
                if (action.equals("ram:PassRole")) {
                    for (String resource : strings(statement.path("Resource"))) {
                        if (!ROLE_ARN.matcher(resource).matches()) {
                            problems.add("ram:PassRole on " + resource + ", not on one role ARN: " + statement);
                        }
                    }
                }
            }
        }
        return problems;
    }

    private static Set<String> passedRoles(JsonNode policy) {
        Set<String> roles = new TreeSet<>();
        for (JsonNode statement : policy.path("Statement")) {
            if (strings(statement.path("Action")).contains("ram:PassRole")) {
                roles.addAll(strings(statement.path("Resource")));
            }
        }
        return roles;
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                out.add(item.isTextual() ? item.asText() : "");
            }
        }
        return out;
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.groupCount() > 0 ? m.group(1) : m.group());
        }
        return found;
    }

    private static List<Path> policyFiles() throws IOException {
        try (Stream<Path> files = Files.list(DeployFiles.root().resolve("deploy/policies"))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
    }

    private static JsonNode policy(String name) throws IOException {
        return DeployFiles.JSON.readTree(DeployFiles.root().resolve("deploy/policies").resolve(name).toFile());
    }

    private static String read(String file) throws IOException {
        return Files.readString(DeployFiles.root().resolve(file), StandardCharsets.UTF_8);
    }
}
