package com.fcminiapp.deploy;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.Direction;
import com.alicloud.openservices.tablestore.model.GetRangeRequest;
import com.alicloud.openservices.tablestore.model.GetRangeResponse;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.RangeRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.Row;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.model.OSSObject;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.ObjectListing;
import com.aliyun.oss.model.ListObjectsRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.LocalCloud;
import com.fcminiapp.localcloud.standin.alipay.AlipayStandIn;
import com.fcminiapp.localcloud.testing.Fc2Signing;
import com.fcminiapp.localcloud.testing.RawHttp;
import com.fcminiapp.localcloud.testing.UploadForms;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the seed ITs do as clients of a running local-cloud (log in, call the db function, upload through its form) and
 * as its owner (every stored row with every column, every stored object with its headers and bytes), to compare a
 * state before and after exactly.
 */
final class SeedClients {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> TABLES = List.of("todo_list", "notes");

    private SeedClients() {
    }

    /** A login of {@code name} through the session function's HTTP trigger. */
    static JsonNode login(LocalCloud cloud, String name) throws IOException {
        String sessionPath = cloud.sessionUrl().replaceFirst("^http://[^/]+", "");
        RawHttp.Response r = RawHttp.send("POST", cloud.endpoint() + sessionPath, Map.of(),
                ("{\"authCode\":\"" + name + ":" + UUID.randomUUID() + "\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(r.status).as(r.body).isEqualTo(200);
        return JSON.readTree(r.body);
    }

    /** The db function invoked with the login's STS key; {@code event} lacks sid; answers its {@code data}. */
    static JsonNode db(LocalCloud cloud, JsonNode login, ObjectNode event) throws IOException {
        ObjectNode ready = cloud.readyInfo();
        event.put("sid", login.path("sessionId").asText());
        String path = "/2016-08-15/services/" + ready.path("serviceName").asText() + "/functions/"
                + ready.path("dbFunctionName").asText() + "/invocations";
        byte[] body = JSON.writeValueAsBytes(event);
        JsonNode sts = login.path("sts");
        Map<String, String> headers = Fc2Signing.invokeHeaders(path, body, LocalCloud.ACCOUNT_ID,
                sts.path("AccessKeyId").asText(), sts.path("AccessKeySecret").asText(),
                sts.path("SecurityToken").asText(), Instant.now());
        RawHttp.Response r = RawHttp.send("POST", cloud.endpoint() + path, headers, body);
        assertThat(r.status).as(r.body).isEqualTo(200);
        JsonNode answer = JSON.readTree(r.body);
        assertThat(answer.has("error")).as(r.body).isFalse();
        return answer.path("data");
    }

    static ObjectNode event(String op) {
        return JSON.createObjectNode().put("op", op);
    }

    /** Uploads through the db function's upload form, as my.uploadFile would. */
    static void upload(LocalCloud cloud, JsonNode login, String path, String type, byte[] bytes) throws IOException {
        JsonNode form = db(cloud, login, event("uploadPolicy").put("path", path).put("contentType", type));
        RawHttp.Response r = RawHttp.send("POST", form.path("url").asText(),
                Map.of("Content-Type", UploadForms.CONTENT_TYPE), UploadForms.body(form, "f", type, bytes));
        assertThat(r.status).as(r.body).isEqualTo(200);
    }

    /** What a browser gets for the user's file: a GET of the db function's presigned URL. */
    static RawHttp.Response download(LocalCloud cloud, JsonNode login, String path) throws IOException {
        JsonNode url = db(cloud, login, event("downloadUrl").put("path", path));
        return RawHttp.send("GET", url.path("url").asText(), Map.of(), new byte[0]);
    }

    static String uidOf(LocalCloud cloud, String name) {
        return ((AlipayStandIn) cloud.standIns().get("alipay")).uidFor(name);
    }

    /**
     * Everything stored for users, exactly: each row of each data table with every column ({@code _version},
     * {@code _updatedAt} too) and each object under {@code users/} with its headers and bytes.
     */
    static Map<String, String> state(LocalCloud cloud) throws IOException {
        ObjectNode ready = cloud.readyInfo();
        Map<String, String> state = new TreeMap<>();
        SyncClient tables = new SyncClient(ready.path("standIns").path("tablestore").asText(),
                ready.path("accessKeyId").asText(), ready.path("accessKeySecret").asText(),
                ready.path("tablestoreInstance").asText());
        try {
            for (String table : TABLES) {
                for (Row row : rows(tables, table)) {
                    state.put(table + " " + row.getPrimaryKey(), columns(row));
                }
            }
        } finally {
            tables.shutdown();
        }
        OSS oss = new OSSClientBuilder().build(ready.path("standIns").path("oss").asText(),
                ready.path("accessKeyId").asText(), ready.path("accessKeySecret").asText());
        try {
            putObjects(oss, ready.path("ossBucket").asText(), state);
        } finally {
            oss.shutdown();
        }
        return state;
    }

    private static List<Row> rows(SyncClient tables, String table) {
        RangeRowQueryCriteria criteria = new RangeRowQueryCriteria(table);
        criteria.setMaxVersions(1);
        criteria.setDirection(Direction.FORWARD);
        criteria.setInclusiveStartPrimaryKey(bound(PrimaryKeyValue.INF_MIN));
        criteria.setExclusiveEndPrimaryKey(bound(PrimaryKeyValue.INF_MAX));
        List<Row> rows = new java.util.ArrayList<>();
        while (true) {
            GetRangeResponse page = tables.getRange(new GetRangeRequest(criteria));
            rows.addAll(page.getRows());
            if (page.getNextStartPrimaryKey() == null) {
                return rows;
            }
            criteria.setInclusiveStartPrimaryKey(page.getNextStartPrimaryKey());
        }
    }

    private static PrimaryKey bound(PrimaryKeyValue edge) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder().addPrimaryKeyColumn("uid", edge)
                .addPrimaryKeyColumn("id", edge).build();
    }

    private static String columns(Row row) {
        StringBuilder out = new StringBuilder();
        Map<String, Column> byName = new TreeMap<>();
        for (Column column : row.getColumns()) {
            byName.put(column.getName(), column);
        }
        byName.forEach((name, column) -> out.append(name).append('=').append(column.getValue().getType())
                .append(':').append(column.getValue().getType().name().equals("BINARY")
                        ? Base64.getEncoder().encodeToString(column.getValue().asBinary()) : column.getValue())
                .append(' '));
        return out.toString();
    }

    private static void putObjects(OSS oss, String bucket, Map<String, String> state) throws IOException {
        String marker = null;
        while (true) {
            ObjectListing listing = oss.listObjects(new ListObjectsRequest(bucket, "users/", marker, null, 1000));
            for (OSSObjectSummary summary : listing.getObjectSummaries()) {
                try (OSSObject object = oss.getObject(bucket, summary.getKey());
                     InputStream in = object.getObjectContent()) {
                    state.put("file " + summary.getKey(), object.getObjectMetadata().getContentType() + " "
                            + object.getObjectMetadata().getContentDisposition() + " "
                            + Base64.getEncoder().encodeToString(in.readAllBytes()));
                }
            }
            if (!listing.isTruncated()) {
                return;
            }
            marker = listing.getNextMarker();
        }
    }
}
