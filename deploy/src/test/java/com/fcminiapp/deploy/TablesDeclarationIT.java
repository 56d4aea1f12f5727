package com.fcminiapp.deploy;

import com.alicloud.openservices.tablestore.model.search.FieldSchema;
import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.tables.DeclarationException;
import com.fcminiapp.common.tables.TableDeclaration;
import com.fcminiapp.common.tables.TablesDeclaration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What scripts/tables.sh wrote into a deployment's template.yml, read back with the Java side (authoritative): every
 * DATA_TABLES is the deployment's tables.json and parses with {@link TablesDeclaration}; each declared table is an
 * {@code ALIYUN::OTS::Table} a search index can be built on, and its {@code ALIYUN::OTS::SearchIndex} holds exactly
 * {@link TableDeclaration#indexSchema()}; the db function's environment says ROS creates the indexes. For the
 * repository's deployment and the guestbook example's.
 */
class TablesDeclarationIT {

    private static Path dir(String deployment) {
        return DeployFiles.root().resolve(deployment);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode template(String deployment) {
        try {
            return DeployFiles.YAML.readTree(dir(deployment).resolve("template.yml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** tables.json as the Java parser reads it. */
    private static TablesDeclaration declaration(String deployment) {
        return TablesDeclaration.parse(read(dir(deployment).resolve("tables.json")));
    }

    /** Every function's DATA_TABLES in the template, by function. */
    private static Map<String, String> dataTables(JsonNode template) {
        Map<String, String> out = new LinkedHashMap<>();
        Descriptors.templateFunctions(template).keySet().forEach(function -> {
            String value = Descriptors.env(Descriptors.templateFunction(template, function), "DATA_TABLES");
            if (value != null) {
                out.put(function, value);
            }
        });
        return out;
    }

    /** The resources of one type, by the table they name (Properties.TableName). */
    private static Map<String, JsonNode> byTable(JsonNode template, String type) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        template.path("Resources").forEach(r -> {
            if (type.equals(r.path("Type").asText())) {
                out.put(r.path("Properties").path("TableName").asText(), r);
            }
        });
        return out;
    }

    /** A field schema as "name TYPE index=… sort=… array=…", the SDK's nulls read as false. */
    private static String describe(String name, String type, boolean index, boolean sort, boolean array) {
        return name + " " + type + " index=" + index + " sort=" + sort + " array=" + array;
    }

    private static List<String> sdkFields(TableDeclaration table) {
        List<String> out = new ArrayList<>();
        for (FieldSchema f : table.indexSchema().getFieldSchemas()) {
            out.add(describe(f.getFieldName(), f.getFieldType().name(), Boolean.TRUE.equals(f.isIndex()),
                    Boolean.TRUE.equals(f.isEnableSortAndAgg()), Boolean.TRUE.equals(f.isArray())));
        }
        return out;
    }

    private static List<String> templateFields(JsonNode searchIndex) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : searchIndex.path("Properties").path("FieldSchemas")) {
            out.add(describe(f.path("FieldName").asText(), f.path("FieldType").asText(), f.path("Index").asBoolean(),
                    f.path("EnableSortAndAgg").asBoolean(), f.path("IsArray").asBoolean()));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "examples/guestbook"})
    void everyDataTablesIsTheDeploymentsTablesJsonAndParsesWithTheJavaParser(String deployment) throws Exception {
        JsonNode file = DeployFiles.JSON.readTree(read(dir(deployment).resolve("tables.json")));
        Map<String, String> values = dataTables(template(deployment));

        assertThat(values).containsKey(Descriptors.DB_FUNCTION);
        for (Map.Entry<String, String> e : values.entrySet()) {
            assertThat(e.getValue()).as(e.getKey()).isEqualTo(DeployFiles.JSON.writeValueAsString(file));
            TablesDeclaration parsed = TablesDeclaration.parse(e.getValue());
            assertThat(parsed.declared()).as(e.getKey()).isTrue();
            assertThat(parsed.names()).as(e.getKey()).containsExactlyElementsOf(DeployFiles.declaredTables(
                    dir(deployment).resolve("tables.json")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "examples/guestbook"})
    void eachSearchIndexOfTheTemplateIsExactlyTheDeclarationsIndexSchema(String deployment) {
        JsonNode template = template(deployment);
        Map<String, JsonNode> indexes = byTable(template, FunValidate.SEARCH_INDEX);
        TablesDeclaration declaration = declaration(deployment);

        assertThat(indexes.keySet()).containsExactlyElementsOf(declaration.names());
        for (TableDeclaration table : declaration.tables()) {
            JsonNode index = indexes.get(table.name());
            assertThat(index.path("Properties").path("IndexName").asText()).isEqualTo(table.searchIndexName());
            assertThat(index.path("Properties").has("IndexSort")).as("primary key order, the default").isFalse();
            assertThat(templateFields(index)).as(table.name()).containsExactlyElementsOf(sdkFields(table));
            assertThat(RoleRules.resolve(index.path("Properties").path("InstanceName"))).isEqualTo("<tablestoreInstance>");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "examples/guestbook"})
    void eachDeclaredTableIsATableASearchIndexCanBeBuiltOnAndTheDbServiceWaitsForBoth(String deployment) {
        JsonNode template = template(deployment);
        Map<String, JsonNode> tables = byTable(template, "ALIYUN::OTS::Table");
        tables.remove("session");
        // the users' own records: the session function's, never the db function's
        tables.remove(Descriptors.USERS_TABLE);
        List<String> dependsOn = new ArrayList<>();
        template.path("Resources").path(Descriptors.DB_SERVICE).path("DependsOn").forEach(d -> dependsOn.add(d.asText()));

        assertThat(tables.keySet()).containsExactlyElementsOf(declaration(deployment).names());
        template.path("Resources").fields().forEachRemaining(r -> {
            String type = r.getValue().path("Type").asText();
            String table = r.getValue().path("Properties").path("TableName").asText();
            if (type.equals(FunValidate.SEARCH_INDEX) || (type.equals("ALIYUN::OTS::Table")
                    && !table.equals("session") && !table.equals(Descriptors.USERS_TABLE))) {
                assertThat(dependsOn).as(r.getKey()).contains(r.getKey());
            }
        });
        for (JsonNode table : tables.values()) {
            JsonNode props = table.path("Properties");
            assertThat(props.path("MaxVersions").asInt()).isEqualTo(1);
            assertThat(props.path("TimeToLive").asInt()).isEqualTo(-1);
            assertThat(props.path("PrimaryKey").toString())
                    .isEqualTo("[{\"Name\":\"uid\",\"Type\":\"STRING\"},{\"Name\":\"id\",\"Type\":\"STRING\"}]");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "examples/guestbook"})
    void theDbFunctionLeavesTheIndexesToRos(String deployment) {
        JsonNode db = Descriptors.templateFunction(template(deployment), Descriptors.DB_FUNCTION);

        assertThat(Descriptors.env(db, "SEARCH_INDEX_AUTO_CREATE")).isEqualTo("false");
    }

    /** As TemplateYmlIT's check of the root template. */
    @org.junit.jupiter.api.Test
    void funValidateAcceptsTheGuestbookTemplateButForTheSearchIndexes() throws Exception {
        String deployment = "examples/guestbook";
        String text = read(dir(deployment).resolve("template.yml"));
        DeployFiles.Run whole = FunValidate.validate(text);
        DeployFiles.Run rest = FunValidate.validate(FunValidate.withoutSearchIndexes(text));

        assertThat(rest.exitCode).as(rest.toString()).isZero();
        assertThat(rest.stdout + rest.stderr).as(rest.toString()).doesNotContain("ERR!");
        assertThat(FunValidate.errorResources(whole)).as(whole.toString())
                .containsExactlyElementsOf(FunValidate.searchIndexResources(template(deployment)));
    }

    @org.junit.jupiter.api.Test
    void theGuestbookDeclaresTheIssuesFiveTablesWithTheirModes() {
        TablesDeclaration guestbook = declaration("examples/guestbook");

        assertThat(guestbook.names()).containsExactly("todo_list", "guestbook", "lists", "notices", "secrets");
        assertThat(guestbook.tables()).extracting(t -> t.mode().wireName())
                .containsExactly("private", "creator-write", "rules", "server-write", "server-only");
        assertThat(guestbook.table("lists").indexes().keySet()).containsExactly("id", "_owner", "members", "_createdAt");
        assertThat(guestbook.table("todo_list").indexes().keySet()).containsExactly("id", "uid", "done", "_createdAt");
    }

    @org.junit.jupiter.api.Test
    void aDeclarationTheGeneratorWouldRefuseTheJavaParserRefusesToo() {
        for (String bad : List.of("{\"t\": {\"mode\": \"public\"}}", "{\"t\": {\"indexes\": {\"n\": \"long\"}}}",
                "{\"t\": {\"mode\": \"rules\", \"rules\": {\"read\": \"doc.team == auth.uid\"}}}",
                "{\"t\": {\"indexes\": {\"_owner\": \"string\"}}}", "{\"t\": {\"index\": {}}}")) {
            assertThatThrownBy(() -> TablesDeclaration.parse(bad)).as(bad).isInstanceOf(DeclarationException.class)
                    .hasMessageContaining("t");
        }
    }
}
