package com.fcminiapp.localcloud.admin;

import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** An item as the console shows it: declared string[] fields as arrays, the server-managed columns beside it. */
class ItemJsonTest {

    private static final Column[] COLUMNS = {
        new Column("members", ColumnValue.fromString("[\"u1\",\"u2\"]")),
        new Column("note", ColumnValue.fromString("[not json")),
        new Column("title", ColumnValue.fromString("[\"looks like one\"]")),
        new Column("_createdAt", ColumnValue.fromLong(1700000000000L)),
        new Column("_owner", ColumnValue.fromString("u1")),
        new Column("_version", ColumnValue.fromLong(3)),
        new Column("_updatedAt", ColumnValue.fromLong(1700000000001L)),
    };

    @Test
    void aDeclaredArrayFieldIsShownAsItsArrayAndOtherStringsStayStrings() {
        assertThat(ItemJson.item("l1", COLUMNS, false, Set.of("members", "note")).toString()).isEqualTo(
                "{\"id\":\"l1\",\"members\":[\"u1\",\"u2\"],\"note\":\"[not json\",\"title\":\"[\\\"looks like one\\\"]\"}");
    }

    @Test
    void theServerManagedColumnsAreOnlyShownWhenAskedFor() {
        assertThat(ItemJson.item("l1", COLUMNS, true).fieldNames()).toIterable()
                .containsExactly("id", "_createdAt", "_owner", "_updatedAt", "_version", "members", "note", "title");
    }

    @Test
    void theDeclarationsStringArrayFieldsAreItsArrays() {
        DataTables declared = DataTables.parse("{\"lists\":{\"mode\":\"rules\",\"rules\":{\"read\":\"true\"},"
                + "\"indexes\":{\"members\":\"string[]\",\"_owner\":\"string\"}},\"todo\":{}}");
        assertThat(declared.arrayFields("lists")).containsExactly("members");
        assertThat(declared.arrayFields("todo")).isEmpty();
        assertThat(declared.arrayFields("absent")).isEmpty();
        assertThat(declared.tables.get(1).mode).isEqualTo("private");
    }
}
