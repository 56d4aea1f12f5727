package com.fcminiapp.db;

import com.alicloud.openservices.tablestore.model.ColumnType;
import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.json.Json;
import com.fcminiapp.kit.internal.RowService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static com.fcminiapp.db.DbFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

class ItemEncodingTest {

    @RegisterExtension
    static final DbFixture fx = new DbFixture();

    private static final String ITEM = "{\"id\":\"all\","
            + "\"text\":\"héllo 世界 \\uD83D\\uDE00 \\\"quoted\\\" \\\\ slash\","
            + "\"empty\":\"\","
            + "\"zero\":0,\"neg\":-42,\"maxSafe\":9007199254740992,\"minSafe\":-9007199254740992,"
            + "\"longMax\":9223372036854775807,\"huge\":123456789012345678901234567890,"
            + "\"pi\":3.141592653589793,\"tenth\":0.1,\"tiny\":5e-324,\"big\":1.7976931348623157e308,"
            + "\"precise\":0.10000000000000000000000001,\"negZero\":-0.0,\"negZeros\":[-0.0,{\"z\":-0e3}],"
            + "\"yes\":true,\"no\":false,"
            + "\"emptyObject\":{},\"emptyArray\":[],"
            + "\"nested\":{\"a\":[1,2.5,\"s\",true,null,{\"deep\":[[],{}]}],\"b\":{\"c\":\"\\u00e9\"},\"n\":null},"
            + "\"list\":[\"x\",{\"y\":1}]}";

    @Test
    void everyJsonValueKindRoundTripsExactly() {
        DbFixture.User u = fx.newUser("enc");
        ObjectNode obj = json(ITEM);
        fx.invoke(u.event("put", JsonNodeFactory.instance.objectNode().set("obj", obj)));
        JsonNode item = fx.invoke(u.event("get", "{\"id\":\"all\"}")).get("data");
        for (String field : new String[] {"text", "empty", "zero", "neg", "maxSafe", "minSafe", "longMax", "huge",
                "yes", "no", "emptyObject", "emptyArray", "nested", "list", "precise", "negZero", "negZeros"}) {
            assertThat(item.get(field)).as(field).isEqualTo(obj.get(field));
        }
        for (String field : new String[] {"pi", "tenth", "tiny", "big"}) {
            assertThat(item.get(field).doubleValue()).as(field).isEqualTo(obj.get(field).doubleValue());
        }
        // on the wire, the text a JS client parses gives back the same values
        String wire = new String(Json.write(item), StandardCharsets.UTF_8);
        assertThat(wire).contains("\"maxSafe\":9007199254740992", "\"tenth\":0.1", "\"nested\":{\"a\":[1,2.5,\"s\",true,null,",
                "\"negZero\":-0.0,", "\"negZeros\":[-0.0,{\"z\":-0.0}]");
    }

    @Test
    void anItemWithOnlyAnIdRoundTrips() {
        DbFixture.User u = fx.newUser("enc");
        fx.invoke(u.event("put", "{\"obj\":{\"id\":\"bare\"}}"));
        JsonNode item = fx.invoke(u.event("get", "{\"id\":\"bare\"}")).get("data");
        assertThat(item.size()).isEqualTo(4);
        assertThat(item.get("_version").asLong()).isEqualTo(1);
        assertThat(item.get("_createdAt").asLong()).isEqualTo(fx.clock.millis());
    }

    @Test
    void eachTopLevelFieldIsAColumnOfTheMatchingTablestoreType() {
        DbFixture.User u = fx.newUser("enc");
        fx.invoke(u.event("put", JsonNodeFactory.instance.objectNode().set("obj", json(ITEM))));
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria("todo_list", RowService.key(u.uid, "all"));
        criteria.setMaxVersions(1);
        Row row = fx.admin.getRow(new GetRowRequest(criteria)).getRow();
        assertThat(type(row, "text")).isEqualTo(ColumnType.STRING);
        assertThat(type(row, "maxSafe")).isEqualTo(ColumnType.INTEGER);
        assertThat(type(row, "neg")).isEqualTo(ColumnType.INTEGER);
        assertThat(type(row, "pi")).isEqualTo(ColumnType.DOUBLE);
        assertThat(type(row, "tenth")).isEqualTo(ColumnType.DOUBLE);
        assertThat(type(row, "negZero")).isEqualTo(ColumnType.DOUBLE);
        assertThat(Double.doubleToRawLongBits(row.getLatestColumn("negZero").getValue().asDouble()))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(type(row, "yes")).isEqualTo(ColumnType.BOOLEAN);
        assertThat(type(row, "nested")).isEqualTo(ColumnType.BINARY);
        assertThat(type(row, "emptyObject")).isEqualTo(ColumnType.BINARY);
        assertThat(type(row, "huge")).isEqualTo(ColumnType.BINARY);
        assertThat(type(row, "precise")).isEqualTo(ColumnType.BINARY);
        assertThat(type(row, "_version")).isEqualTo(ColumnType.INTEGER);
        assertThat(type(row, "_updatedAt")).isEqualTo(ColumnType.INTEGER);
        assertThat(new String(row.getLatestColumn("nested").getValue().asBinary(), StandardCharsets.UTF_8))
                .startsWith("{\"a\":[1,2.5,");
        assertThat(row.getLatestColumn("uid")).isNull();
        assertThat(row.getLatestColumn("id")).isNull();
    }

    @Test
    void aStringThatLooksLikeJsonStaysAString() {
        DbFixture.User u = fx.newUser("enc");
        fx.invoke(u.event("put", "{\"obj\":{\"id\":\"s\",\"v\":\"{\\\"a\\\":1}\",\"w\":\"12\"}}"));
        JsonNode item = fx.invoke(u.event("get", "{\"id\":\"s\"}")).get("data");
        assertThat(item.get("v").isTextual()).isTrue();
        assertThat(item.get("v").asText()).isEqualTo("{\"a\":1}");
        assertThat(item.get("w").isTextual()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"obj\":{\"id\":\"o\",\"n\":1e400}}", "{\"obj\":{\"id\":\"o\",\"n\":[-1e400]}}",
            "{\"obj\":{\"id\":\"o\",\"m\":{\"n\":2e308}}}"})
    void aNumberBeyondTheDoubleRangeIsRefusedAndNothingIsStored(String fields) {
        DbFixture.User u = fx.newUser("enc");
        String event = "{\"sid\":\"" + u.sid + "\",\"op\":\"put\"," + fields.substring(1);
        JsonNode error = fx.invoke(event.getBytes(StandardCharsets.UTF_8), fx.context()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.get("message").asText()).startsWith("The number in field n is beyond what a double holds");
        assertThat(fx.invoke(u.event("get", "{\"id\":\"o\"}")).get("data").isNull()).isTrue();
    }

    @Test
    void theLargestDoubleIsStillStoredAsADouble() {
        DbFixture.User u = fx.newUser("enc");
        fx.invoke(u.event("put", "{\"obj\":{\"id\":\"m\",\"n\":-1.7976931348623157e308}}"));
        assertThat(fx.invoke(u.event("get", "{\"id\":\"m\"}")).get("data").get("n").doubleValue())
                .isEqualTo(-Double.MAX_VALUE);
    }

    private static ColumnType type(Row row, String name) {
        return row.getLatestColumn(name).getValue().getType();
    }
}
