import com.alicloud.openservices.tablestore.ClientConfiguration;
import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.TableStoreException;
import com.alicloud.openservices.tablestore.core.ResourceManager;
import com.alicloud.openservices.tablestore.core.auth.CredentialsProvider;
import com.alicloud.openservices.tablestore.core.auth.DefaultCredentials;
import com.alicloud.openservices.tablestore.core.auth.ServiceCredentials;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.Condition;
import com.alicloud.openservices.tablestore.model.DefaultRetryStrategy;
import com.alicloud.openservices.tablestore.model.GetRowRequest;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.PutRowRequest;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.RowExistenceExpectation;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.alicloud.openservices.tablestore.model.SingleRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.condition.SingleColumnValueCondition;
import com.aliyun.fc.runtime.Context;
import com.aliyun.fc.runtime.Credentials;
import com.aliyun.fc.runtime.FunctionInitializer;
import com.aliyun.fc.runtime.StreamRequestHandler;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of the kit's cost in scripts/bench-fc-cold-start.sh: the example's checkin function written without
 * the kit, as a plain FC stream handler on the Tablestore SDK and jackson-core from the example's jar. It does the
 * checkin function's upstream work and no more: parse the event (with jackson-core's streaming parser, as the
 * project's own JSON does: an ObjectMapper alone loads some 330 classes), the session GetRow (uid, expiry), the row
 * GetRow, when today is not yet checked in a conditional PutRow (absent, or the read {@code _version}: the columns
 * and encoding the kit writes), and the answer written by a generator. Its client is built in the initializer with
 * the settings the kit's own client gets (common's TablestoreClients, restated here), so only the kit's layer
 * differs. Not a function to deploy: it skips the kit's bounds on the event, its error mapping and its logs.
 */
public class BareCheckinHandler implements StreamRequestHandler, FunctionInitializer {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final String ROW_ID = "total";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private volatile Credentials credentials;
    private SyncClient client;
    private String sessionTable;
    private String table;

    @Override
    public void initialize(Context context) {
        credentials = context.getExecutionCredentials();
        int timeout = Integer.parseInt(System.getenv().getOrDefault("UPSTREAM_TIMEOUT_MS", "5000"));
        ClientConfiguration cc = new ClientConfiguration();
        cc.setConnectionTimeoutInMillisecond(timeout);
        cc.setSocketTimeoutInMillisecond(timeout);
        cc.setConnectionRequestTimeoutInMillisecond(timeout);
        cc.setSyncClientWaitFutureTimeoutInMillis(2L * timeout);
        cc.setRetryStrategy(new DefaultRetryStrategy(timeout, TimeUnit.MILLISECONDS));
        cc.setIoThreadCount(1);
        cc.setMaxConnections(64);
        client = new SyncClient(System.getenv("TABLESTORE_ENDPOINT"), new ContextCredentials(),
                System.getenv("TABLESTORE_INSTANCE"), cc, new ResourceManager(cc));
        sessionTable = System.getenv().getOrDefault("SESSION_TABLE", "session");
        table = System.getenv("APP_TABLES").split(",")[0].trim();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        credentials = context.getExecutionCredentials();
        String uid = sessionUid(sid(input));
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(answer)) {
            g.writeStartObject();
            if (uid == null) {
                g.writeObjectFieldStart("error");
                g.writeStringField("code", "UNAUTHENTICATED");
                g.writeStringField("message", "log in again");
                g.writeStringField("requestId", context.getRequestId());
            } else {
                g.writeObjectFieldStart("data");
                checkin(uid, g);
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        output.write(answer.toByteArray());
    }

    /** The event's top-level {@code sid}; the rest (the input) is skipped unread. */
    private static String sid(InputStream input) throws IOException {
        String sid = "";
        try (JsonParser p = JSON.createParser(input)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return sid;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if ("sid".equals(name) && p.currentToken() == JsonToken.VALUE_STRING) {
                    sid = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        }
        return sid;
    }

    private String sessionUid(String sid) {
        PrimaryKey key = PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("id", PrimaryKeyValue.fromString(sha256Hex(sid))).build();
        SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(sessionTable, key);
        criteria.setMaxVersions(1);
        Row row = client.getRow(new GetRowRequest(criteria)).getRow();
        if (row == null || row.isEmpty() || row.getLatestColumn("uid") == null
                || row.getLatestColumn("expiresAt") == null
                || row.getLatestColumn("expiresAt").getValue().asLong() <= System.currentTimeMillis()) {
            return null;
        }
        return row.getLatestColumn("uid").getValue().asString();
    }

    private void checkin(String uid, JsonGenerator data) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            SingleRowQueryCriteria criteria = new SingleRowQueryCriteria(table, key(uid));
            criteria.setMaxVersions(1);
            Row row = client.getRow(new GetRowRequest(criteria)).getRow();
            boolean stored = row != null && !row.isEmpty();
            String today = LocalDate.ofInstant(Instant.now(), ZONE).toString();
            long points = stored ? row.getLatestColumn("points").getValue().asLong() : 0;
            if (stored && today.equals(row.getLatestColumn("lastDay").getValue().asString())) {
                data.writeBooleanField("checkedIn", false);
                data.writeNumberField("points", points);
                return;
            }
            long version = stored ? row.getLatestColumn("_version").getValue().asLong() : 0;
            RowPutChange put = new RowPutChange(table, key(uid));
            put.addColumn(new Column("points", ColumnValue.fromLong(points + 10)));
            put.addColumn(new Column("lastDay", ColumnValue.fromString(today)));
            put.addColumn(new Column("_version", ColumnValue.fromLong(version + 1)));
            put.addColumn(new Column("_updatedAt", ColumnValue.fromLong(System.currentTimeMillis())));
            put.setCondition(stored ? versionIs(version) : new Condition(RowExistenceExpectation.EXPECT_NOT_EXIST));
            try {
                client.putRow(new PutRowRequest(put));
                data.writeBooleanField("checkedIn", true);
                data.writeNumberField("points", points + 10);
                return;
            } catch (TableStoreException e) {
                if (!"OTSConditionCheckFail".equals(e.getErrorCode())) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException("check-in conflicted three times");
    }

    private static Condition versionIs(long version) {
        Condition condition = new Condition(RowExistenceExpectation.EXPECT_EXIST);
        SingleColumnValueCondition column = new SingleColumnValueCondition("_version",
                SingleColumnValueCondition.CompareOperator.EQUAL, ColumnValue.fromLong(version));
        column.setPassIfMissing(false);
        column.setLatestVersionsOnly(true);
        condition.setColumnCondition(column);
        return condition;
    }

    private static PrimaryKey key(String uid) {
        return PrimaryKeyBuilder.createPrimaryKeyBuilder().addPrimaryKeyColumn("uid", PrimaryKeyValue.fromString(uid))
                .addPrimaryKeyColumn("id", PrimaryKeyValue.fromString(ROW_ID)).build();
    }

    private static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
            char[] hex = new char[digest.length * 2];
            for (int i = 0; i < digest.length; i++) {
                hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
                hex[2 * i + 1] = HEX[digest[i] & 0xf];
            }
            return new String(hex);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key FC handed the last request, at the moment of each SDK request (as the kit's client does). */
    private final class ContextCredentials implements CredentialsProvider {
        @Override
        public void setCredentials(ServiceCredentials ignored) {
        }

        @Override
        public ServiceCredentials getCredentials() {
            Credentials key = credentials;
            return new DefaultCredentials(key.getAccessKeyId(), key.getAccessKeySecret(), key.getSecurityToken());
        }
    }
}
