package com.fcminiapp.common.tables;

import com.alicloud.openservices.tablestore.model.search.FieldSchema;
import com.alicloud.openservices.tablestore.model.search.IndexSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class TablesDeclarationTest {

    /** The example deployment's declaration (design §1). */
    static final String EXAMPLE = ("{"
            + "'todo_list': {'mode': 'private', 'indexes': {'done': 'boolean', '_createdAt': 'integer'}},"
            + "'guestbook': {'mode': 'creator-write', 'indexes': {'_createdAt': 'integer', '_owner': 'string',"
            + " 'likes': 'integer'}},"
            + "'lists': {'mode': 'rules', 'rules': {'read': 'doc._owner == auth.uid || auth.uid in doc.members',"
            + " 'update': 'doc._owner == auth.uid || auth.uid in doc.members', 'create': 'true',"
            + " 'delete': 'doc._owner == auth.uid'},"
            + " 'indexes': {'_owner': 'string', 'members': 'string[]', '_createdAt': 'integer'}},"
            + "'notices': {'mode': 'server-write'},"
            + "'secrets': {'mode': 'server-only'}"
            + "}").replace('\'', '"');

    static TablesDeclaration example() {
        return TablesDeclaration.parse(EXAMPLE);
    }

    private static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static void refused(String declaration, String... messageParts) {
        assertThatThrownBy(() -> TablesDeclaration.parse(q(declaration))).isInstanceOf(DeclarationException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(messageParts));
    }

    @Test
    void theExampleDeclaresItsTablesInOrderWithTheirModes() {
        TablesDeclaration d = example();

        assertThat(d.names()).containsExactly("todo_list", "guestbook", "lists", "notices", "secrets");
        assertThat(d.tables()).extracting(TableDeclaration::mode).containsExactly(AccessMode.PRIVATE,
                AccessMode.CREATOR_WRITE, AccessMode.RULES, AccessMode.SERVER_WRITE, AccessMode.SERVER_ONLY);
        assertThat(d.tables()).extracting(TableDeclaration::shared).containsExactly(false, true, true, true, true);
        assertThat(d.defaultTable().name()).isEqualTo("todo_list");
        assertThat(d.declared()).isTrue();
        assertThat(d.table("nope")).isNull();
        assertThat(d.table(null)).isNull();
    }

    @Test
    void indexesHoldIdThenUidOnPrivateTablesThenTheDeclaredFieldsInOrder() {
        TablesDeclaration d = example();

        assertThat(d.table("todo_list").indexes()).containsExactly(entry("id", FieldType.STRING),
                entry("uid", FieldType.STRING), entry("done", FieldType.BOOLEAN),
                entry("_createdAt", FieldType.INTEGER));
        assertThat(d.table("lists").indexes()).containsExactly(entry("id", FieldType.STRING),
                entry("_owner", FieldType.STRING), entry("members", FieldType.STRING_ARRAY),
                entry("_createdAt", FieldType.INTEGER));
        assertThat(d.table("notices").indexes()).containsExactly(entry("id", FieldType.STRING));
        assertThat(d.table("lists").indexType("members")).isEqualTo(FieldType.STRING_ARRAY);
        assertThat(d.table("lists").indexType("uid")).isNull();
        assertThat(d.table("lists").indexType("title")).isNull();
    }

    @Test
    void rulesAreParsedPerOpAndAbsentOnesAreNull() {
        TablesDeclaration d = example();

        assertThat(d.table("lists").rule(RuleOp.DELETE).source()).isEqualTo("doc._owner == auth.uid");
        assertThat(d.table("lists").rule(RuleOp.CREATE).source()).isEqualTo("true");
        assertThat(d.table("guestbook").rule(RuleOp.READ)).isNull();
        TablesDeclaration readOnly = TablesDeclaration.parse(q("{'t': {'mode': 'rules', 'rules': {'read': 'true'}}}"));
        assertThat(readOnly.table("t").rule(RuleOp.UPDATE)).isNull();
    }

    @Test
    void aTableWithoutModeIsPrivate() {
        assertThat(TablesDeclaration.parse(q("{'notes': {}}")).table("notes").mode()).isEqualTo(AccessMode.PRIVATE);
    }

    @Test
    void theSearchIndexIsNamedAfterTheTable() {
        assertThat(example().table("guestbook").searchIndexName()).isEqualTo("guestbook_index");
    }

    @Test
    void theIndexSchemaMapsEachTypeToItsSearchFieldType() {
        TablesDeclaration d = TablesDeclaration.parse(q("{'t': {'indexes': {'s': 'string', 'i': 'integer',"
                + " 'n': 'number', 'b': 'boolean', 'a': 'string[]', '_updatedAt': 'integer'}}}"));
        IndexSchema schema = d.table("t").indexSchema();

        assertThat(schema.getFieldSchemas()).extracting(FieldSchema::getFieldName)
                .containsExactly("id", "uid", "s", "i", "n", "b", "a", "_updatedAt");
        Map<String, FieldSchema> byName = schema.getFieldSchemas().stream()
                .collect(Collectors.toMap(FieldSchema::getFieldName, f -> f));
        assertThat(byName.get("id").getFieldType())
                .isEqualTo(com.alicloud.openservices.tablestore.model.search.FieldType.KEYWORD);
        assertThat(byName.get("uid").getFieldType())
                .isEqualTo(com.alicloud.openservices.tablestore.model.search.FieldType.KEYWORD);
        assertThat(byName.get("s").getFieldType())
                .isEqualTo(com.alicloud.openservices.tablestore.model.search.FieldType.KEYWORD);
        assertThat(byName.get("i").getFieldType())
                .isEqualTo(com.alicloud.openservices.tablestore.model.search.FieldType.LONG);
        assertThat(byName.get("n").getFieldType())
                .isEqualTo(com.alicloud.openservices.tablestore.model.search.FieldType.DOUBLE);
        assertThat(byName.get("b").getFieldType())
                .isEqualTo(com.alicloud.openservices.tablestore.model.search.FieldType.BOOLEAN);
        assertThat(byName.get("a").getFieldType())
                .isEqualTo(com.alicloud.openservices.tablestore.model.search.FieldType.KEYWORD);
        assertThat(byName.get("_updatedAt").getFieldType())
                .isEqualTo(com.alicloud.openservices.tablestore.model.search.FieldType.LONG);
        for (String sortable : List.of("id", "uid", "s", "i", "n", "b", "_updatedAt")) {
            assertThat(byName.get(sortable).isEnableSortAndAgg()).as(sortable).isTrue();
            assertThat(byName.get(sortable).isArray()).as(sortable).isNotEqualTo(Boolean.TRUE);
            assertThat(byName.get(sortable).isIndex()).as(sortable).isTrue();
        }
        assertThat(byName.get("a").isArray()).isTrue();
        assertThat(byName.get("a").isEnableSortAndAgg()).isFalse();
        assertThat(byName.get("a").isIndex()).isTrue();
        assertThat(schema.getIndexSort()).isNull();
        assertThat(schema.getIndexSetting()).isNull();
    }

    @Test
    void aSharedTablesIndexHasNoUid() {
        assertThat(example().table("guestbook").indexSchema().getFieldSchemas()).extracting(FieldSchema::getFieldName)
                .containsExactly("id", "_createdAt", "_owner", "likes");
    }

    @Test
    void theLegacyCommaListDeclaresPrivateTablesWithoutIndexes() {
        TablesDeclaration d = TablesDeclaration.parse(" todo_list , notes,todo_list ");

        assertThat(d.names()).containsExactly("todo_list", "notes");
        assertThat(d.declared()).isFalse();
        assertThat(d.tables()).allSatisfy(t -> {
            assertThat(t.mode()).isEqualTo(AccessMode.PRIVATE);
            assertThat(t.indexes()).containsOnlyKeys("id", "uid");
        });
        assertThat(TablesDeclaration.of(List.of("a")).defaultTable().name()).isEqualTo("a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"todo_list,", "a,,b", "1table", "bad-name", "a b"})
    void aBadLegacyNameIsRefused(String value) {
        assertThatThrownBy(() -> TablesDeclaration.parse(value)).isInstanceOf(DeclarationException.class)
                .hasMessageContaining("Tablestore table name");
    }

    @Test
    void tableNamesArePinnedAt255Characters() {
        String longest = "t" + "a".repeat(254);
        assertThat(TablesDeclaration.parse(longest).names()).containsExactly(longest);
        assertThatThrownBy(() -> TablesDeclaration.parse(longest + "a")).isInstanceOf(DeclarationException.class);
        assertThatThrownBy(() -> TablesDeclaration.parse(q("{'" + longest + "a': {}}")))
                .isInstanceOf(DeclarationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void anEmptyDeclarationIsRefused(String value) {
        assertThatThrownBy(() -> TablesDeclaration.parse(value)).isInstanceOf(DeclarationException.class)
                .hasMessageContaining("at least one table");
        assertThatThrownBy(() -> TablesDeclaration.parse(null)).isInstanceOf(DeclarationException.class);
        assertThatThrownBy(() -> TablesDeclaration.of(List.of())).isInstanceOf(DeclarationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{'a': {}} x", "{'a': {}, 'a': {}}", "{'a': {'mode': 'private', 'mode': 'rules'}}"})
    void malformedOrAmbiguousJsonIsRefused(String value) {
        refused(value, "not valid JSON");
    }

    @Test
    void aJsonDeclarationMustNameATable() {
        refused("{}", "at least one table");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "{'t': 1} => table \"t\": must be an object",
            "{'t': {'mode': 'private', 'index': {}}} => table \"t\": has an unknown key",
            "{'t': {'mode': 'public'}} => table \"t\": mode must be one of",
            "{'t': {'mode': 1}} => table \"t\": mode must be one of",
            "{'t': {'rules': {'read': 'true'}}} => table \"t\": rules are only for mode rules",
            "{'t': {'mode': 'creator-write', 'rules': {}}} => table \"t\": rules are only for mode rules",
            "{'t': {'mode': 'rules'}} => table \"t\": mode rules needs rules",
            "{'t': {'mode': 'rules', 'rules': 'true'}} => table \"t\": mode rules needs rules",
            "{'t': {'mode': 'rules', 'rules': {'write': 'true'}}} => table \"t\": rules has an unknown key",
            "{'t': {'mode': 'rules', 'rules': {'read': true}}} => table \"t\": the read rule must be a string",
            "{'t': {'indexes': []}} => table \"t\": indexes must be an object",
            "{'t': {'indexes': {'a': 'text'}}} => table \"t\": index \"a\": the type must be one of",
            "{'t': {'indexes': {'a': ['string']}}} => table \"t\": index \"a\": the type must be one of",
            "{'t': {'indexes': {'id': 'string'}}} => table \"t\": index \"id\": id is always indexed",
            "{'t': {'indexes': {'uid': 'string'}}} => table \"t\": index \"uid\": not a field name",
            "{'t': {'indexes': {'_version': 'integer'}}} => table \"t\": index \"_version\": not a field name",
            "{'t': {'indexes': {'1a': 'string'}}} => table \"t\": index \"1a\": not a field name",
            "{'t': {'indexes': {'a-b': 'string'}}} => table \"t\": index \"a-b\": not a field name",
            "{'t': {'indexes': {'_owner': 'string'}}} => index \"_owner\": a private table has no _owner",
            "{'t': {'mode': 'rules', 'rules': {}, 'indexes': {'_owner': 'integer'}}} => _owner is a string",
            "{'t': {'indexes': {'_createdAt': 'string'}}} => index \"_createdAt\": _createdAt is an integer",
            "{'t': {'indexes': {'_updatedAt': 'number'}}} => index \"_updatedAt\": _updatedAt is an integer",
            "{'ok': {}, 'bad-name': {}} => Tablestore table name",
    })
    void eachProblemIsNamedWithItsTable(String declaration, String message) {
        refused(declaration, message);
    }

    @Test
    void fieldNamesArePinnedAt64Characters() {
        String longest = "a" + "b".repeat(63);
        assertThat(TablesDeclaration.parse(q("{'t': {'indexes': {'" + longest + "': 'string'}}}")).table("t")
                .indexType(longest)).isEqualTo(FieldType.STRING);
        refused("{'t': {'indexes': {'" + longest + "b': 'string'}}}", "not a field name");
    }

    @Test
    void aRuleSyntaxErrorNamesTheTableTheOpAndThePositionButNotTheRule() {
        refused("{'lists': {'mode': 'rules', 'rules': {'create': 'true', 'update': 'doc.secret == (1'}}}",
                "table \"lists\": the update rule, at position 16: expected ) to close the ( at position 14");
        String bad = "{'t': {'mode': 'rules', 'rules': {'read': 'doc.x ==& 1'}}}";
        assertThatThrownBy(() -> TablesDeclaration.parse(q(bad)))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("doc.x"));
    }

    @Test
    void everyDocFieldOfTheReadRuleMustBeIndexed() {
        refused("{'t': {'mode': 'rules', 'rules': {'read': 'doc.public == true || doc._owner == auth.uid'},"
                        + " 'indexes': {'_owner': 'string'}}}",
                "table \"t\": the read rule names doc.public, which is not indexed");
        // id is indexed without being declared; other rules may name any field
        assertThat(TablesDeclaration.parse(q("{'t': {'mode': 'rules', 'rules': {'read': 'doc.id != null',"
                + " 'update': 'doc.anything == 1'}}}")).table("t").rule(RuleOp.UPDATE)).isNotNull();
    }

    @Test
    void theReadRuleMayExpandTo64AlternativesButNotMore() {
        StringBuilder six = new StringBuilder("true");
        StringBuilder indexes = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            String pair = " && (doc.a" + i + " == 1 || doc.b" + i + " == 1)";
            if (i < 6) {
                six.append(pair);
            }
            indexes.append(i == 0 ? "" : ", ").append("'a").append(i).append("': 'integer', 'b").append(i)
                    .append("': 'integer'");
        }
        String seven = six + " && (doc.a6 == 1 || doc.b6 == 1)";
        String template = "{'t': {'mode': 'rules', 'rules': {'read': 'RULE'}, 'indexes': {" + indexes + "}}}";

        assertThat(TablesDeclaration.parse(q(template.replace("RULE", six))).table("t").readDnf()).hasSize(64);
        refused(template.replace("RULE", seven), "table \"t\": the read rule expands to more than 64 alternatives");
    }

    @Test
    void wireNamesRoundTrip() {
        for (AccessMode mode : AccessMode.values()) {
            assertThat(AccessMode.fromWire(mode.wireName())).isEqualTo(mode);
        }
        for (FieldType type : FieldType.values()) {
            assertThat(FieldType.fromWire(type.wireName())).isEqualTo(type);
        }
        assertThat(AccessMode.fromWire("Private")).isNull();
        assertThat(AccessMode.fromWire(null)).isNull();
        assertThat(AccessMode.CREATOR_WRITE.wireName()).isEqualTo("creator-write");
        assertThat(FieldType.STRING_ARRAY.wireName()).isEqualTo("string[]");
        assertThat(RowOp.UPDATE.wireName()).isEqualTo("update");
        assertThat(RuleOp.fromWire("delete")).isEqualTo(RuleOp.DELETE);
    }
}
