package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.core.protocol.OtsInternalApi;
import com.alicloud.openservices.tablestore.core.protocol.Search;
import com.aliyun.ots.thirdparty.com.google.protobuf.InvalidProtocolBufferException;
import com.aliyun.ots.thirdparty.com.google.protobuf.Message;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.StandInServer;
import com.sun.net.httpserver.HttpExchange;
import org.h2.mvstore.MVStore;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Local stand-in for Alibaba Cloud Tablestore (OTS) that the real {@code SyncClient} talks to: POST
 * /&lt;Action&gt; with protobuf bodies and PlainBuffer rows, requests authenticated and answers signed as the
 * service does, tables and rows kept in an H2 {@link MVStore}.
 */
public final class TablestoreStandIn extends StandInServer {

    /** The API version the SDK sends in {@code x-ots-apiversion}. */
    public static final String API_VERSION = "2015-12-31";
    /** Largest request body accepted; larger ones get 413 OTSRequestBodyTooLarge. */
    public static final int MAX_REQUEST_BYTES = 5 * 1024 * 1024;
    /** Largest distance between {@code x-ots-date} and the stand-in's clock. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(15);
    /** How far the search indexes trail the tables unless {@link #searchLag(Duration)} says otherwise. */
    public static final Duration DEFAULT_SEARCH_LAG = SearchIndexes.DEFAULT_LAG;
    /** The largest lag local-cloud's option and admin API set: an hour. */
    public static final Duration MAX_SEARCH_LAG = Duration.ofHours(1);

    private static final String HEADER_PREFIX = "x-ots-";
    private static final String SIGNATURE = "x-ots-signature";
    private static final List<String> REQUIRED_HEADERS = List.of("x-ots-date", "x-ots-apiversion",
            "x-ots-accesskeyid", "x-ots-instancename", "x-ots-contentmd5", SIGNATURE);
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final CredentialRegistry registry;
    private final String instanceName;
    private final MVStore store;
    private final TableEngine engine;
    private final SearchIndexes searchIndexes;
    private final SearchRun searchRun;

    /**
     * @param port         port on 127.0.0.1, 0 for any free one
     * @param registry     the AccessKeys accepted, and the clock checked against {@code x-ots-date}
     * @param instanceName the only instance name accepted in {@code x-ots-instancename}
     * @param store        where tables and rows live; owned by the caller, who closes it after this server
     */
    public TablestoreStandIn(int port, CredentialRegistry registry, String instanceName, MVStore store) {
        super("tablestore", port);
        this.registry = registry;
        this.instanceName = instanceName;
        this.store = store;
        this.engine = new TableEngine(store, registry.clock());
        this.searchIndexes = new SearchIndexes(store, registry.clock(), engine);
        this.searchRun = new SearchRun(searchIndexes);
    }

    /**
     * Sets how long after a write its search indexes see it (default {@link #DEFAULT_SEARCH_LAG}); a GetRow sees
     * it at once. Applies to every search from now on, rows already written included.
     */
    public TablestoreStandIn searchLag(Duration lag) {
        searchIndexes.lag(lag);
        return this;
    }

    public Duration searchLag() {
        return searchIndexes.lag();
    }

    @Override
    public TablestoreStandIn start() {
        super.start();
        return this;
    }

    public String instanceName() {
        return instanceName;
    }

    /**
     * Creates table {@code name} with primary key {@code primaryKey} (column → STRING, INTEGER or BINARY) unless it
     * exists, as a deployed template's table resources exist before any function runs.
     */
    public void provisionTable(String name, Map<String, String> primaryKey) {
        OtsInternalApi.TableMeta.Builder meta = OtsInternalApi.TableMeta.newBuilder().setTableName(name);
        primaryKey.forEach((column, type) -> meta.addPrimaryKey(OtsInternalApi.PrimaryKeySchema.newBuilder()
                .setName(column).setType(OtsInternalApi.PrimaryKeyType.valueOf(type.toUpperCase(Locale.ROOT)))));
        try {
            engine.createTable(OtsInternalApi.CreateTableRequest.newBuilder().setTableMeta(meta)
                    .setReservedThroughput(OtsInternalApi.ReservedThroughput.newBuilder()
                            .setCapacityUnit(OtsInternalApi.CapacityUnit.newBuilder().setRead(0).setWrite(0)))
                    .buildPartial());
        } catch (OtsError e) {
            if (!"OTSObjectAlreadyExist".equals(e.code)) {
                throw new IllegalArgumentException("table " + name + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Creates the search index {@code request} describes unless one of that name exists on its table (kept as it
     * is), as a deployed template's {@code ALIYUN::OTS::SearchIndex} resources exist before any function runs.
     * Returns whether it was created.
     */
    public boolean provisionSearchIndex(Search.CreateSearchIndexRequest request) {
        try {
            searchIndexes.create(request);
            return true;
        } catch (OtsError e) {
            if ("OTSObjectAlreadyExist".equals(e.code)) {
                return false;
            }
            throw new IllegalArgumentException("search index " + request.getIndexName() + " of table "
                    + request.getTableName() + ": " + e.getMessage(), e);
        }
    }

    /** Stops serving and commits what was written; the {@link MVStore} stays open for its owner to close. */
    @Override
    public synchronized void close() {
        super.close();
        if (!store.isClosed()) {
            store.commit();
        }
    }

    @Override
    protected void serve(HttpExchange exchange) throws IOException {
        String action = exchange.getRequestURI().getPath().substring(1);
        String requestId = UUID.randomUUID().toString();
        CredentialRegistry.Credential caller = null;
        try {
            if (!"POST".equals(exchange.getRequestMethod())) {
                throw new OtsError(405, "OTSMethodNotAllowed", "Only POST method for requests is supported.");
            }
            byte[] body = readLimited(exchange.getRequestBody());
            caller = registry.find(header(exchange, "x-ots-accesskeyid")).orElse(null);
            authenticate(exchange, action, body);
            authorize(caller, action, body);
            Message answer = execute(action, body);
            answer(exchange, 200, action, requestId, caller, answer.toByteArray());
        } catch (OtsError e) {
            answer(exchange, e.status, action, requestId, caller, TableEngine.errorOf(e).toByteArray());
        } catch (InvalidProtocolBufferException e) {
            OtsError error = OtsError.invalid("Failed to parse the request body: " + e.getMessage());
            answer(exchange, error.status, action, requestId, caller, TableEngine.errorOf(error).toByteArray());
        }
    }

    @Override
    protected void answerFault(HttpExchange exchange) throws IOException {
        OtsError fault = new OtsError(503, "OTSServerUnavailable", "Server is not available.");
        String action = exchange.getRequestURI().getPath().substring(1);
        answer(exchange, fault.status, action, UUID.randomUUID().toString(), null,
                TableEngine.errorOf(fault).toByteArray());
    }

    private Message execute(String action, byte[] body) throws InvalidProtocolBufferException {
        switch (action) {
            case "CreateTable":
                return engine.createTable(OtsInternalApi.CreateTableRequest.parseFrom(body));
            case "DescribeTable":
                return engine.describeTable(OtsInternalApi.DescribeTableRequest.parseFrom(body).getTableName());
            case "ListTable":
                return engine.listTable();
            case "DeleteTable":
                return engine.deleteTable(OtsInternalApi.DeleteTableRequest.parseFrom(body).getTableName());
            case "GetRow":
                return engine.getRow(OtsInternalApi.GetRowRequest.parseFrom(body));
            case "PutRow":
                return engine.putRow(OtsInternalApi.PutRowRequest.parseFrom(body));
            case "UpdateRow":
                return engine.updateRow(OtsInternalApi.UpdateRowRequest.parseFrom(body));
            case "DeleteRow":
                return engine.deleteRow(OtsInternalApi.DeleteRowRequest.parseFrom(body));
            case "GetRange":
                return engine.getRange(OtsInternalApi.GetRangeRequest.parseFrom(body));
            case "BatchGetRow":
                return engine.batchGetRow(OtsInternalApi.BatchGetRowRequest.parseFrom(body));
            case "BatchWriteRow":
                return engine.batchWriteRow(OtsInternalApi.BatchWriteRowRequest.parseFrom(body));
            case "CreateSearchIndex":
                return searchIndexes.create(Search.CreateSearchIndexRequest.parseFrom(body));
            case "DescribeSearchIndex":
                return searchIndexes.describe(Search.DescribeSearchIndexRequest.parseFrom(body));
            case "ListSearchIndex":
                return searchIndexes.list(Search.ListSearchIndexRequest.parseFrom(body));
            case "DeleteSearchIndex":
                return searchIndexes.delete(Search.DeleteSearchIndexRequest.parseFrom(body));
            case "Search":
                return searchRun.search(Search.SearchRequest.parseFrom(body));
            default:
                throw OtsError.invalid("Unsupported operation: '" + action + "'.");
        }
    }

    /**
     * RAM's check of every table the request touches: action {@code ots:<ApiName>} on
     * {@code acs:ots:<region>:<account>:instance/<instance>/table/<table>}, and ListTable on the instance itself
     * (resource forms from https://www.alibabacloud.com/help/en/tablestore/custom-permissions-of-tablestore;
     * instance names in lowercase there). Resources go no deeper than the table: the search index actions
     * ({@code ots:CreateSearchIndex}, {@code ots:Search}, …) are checked on their table's ARN, ListSearchIndex
     * without a table on the instance's. A refusal is the service's 403 OTSNoPermissionAccess.
     */
    private void authorize(CredentialRegistry.Credential caller, String action, byte[] body)
            throws InvalidProtocolBufferException {
        String instance = "acs:ots:" + arnRegion() + ":" + arnAccount() + ":instance/"
                + instanceName.toLowerCase(Locale.ROOT);
        List<String> tables = tablesOf(action, body);
        boolean onInstance = "ListTable".equals(action) || ("ListSearchIndex".equals(action) && tables.isEmpty());
        List<String> resources = onInstance ? List.of(instance)
                : tables.stream().map(table -> instance + "/table/" + table).collect(Collectors.toList());
        for (String resource : resources) {
            if (!allowed(caller, "ots:" + action, resource)) {
                throw new OtsError(403, "OTSNoPermissionAccess", "You have no permission to access the requested "
                        + "resource, please contact the resource owner: ots:" + action + " on " + resource
                        + " is not allowed for this AccessKey.");
            }
        }
    }

    /** The tables a request names; none for an action this stand-in does not know (answered as invalid later). */
    private static List<String> tablesOf(String action, byte[] body) throws InvalidProtocolBufferException {
        switch (action) {
            case "CreateTable":
                return List.of(OtsInternalApi.CreateTableRequest.parseFrom(body).getTableMeta().getTableName());
            case "DescribeTable":
                return List.of(OtsInternalApi.DescribeTableRequest.parseFrom(body).getTableName());
            case "DeleteTable":
                return List.of(OtsInternalApi.DeleteTableRequest.parseFrom(body).getTableName());
            case "GetRow":
                return List.of(OtsInternalApi.GetRowRequest.parseFrom(body).getTableName());
            case "PutRow":
                return List.of(OtsInternalApi.PutRowRequest.parseFrom(body).getTableName());
            case "UpdateRow":
                return List.of(OtsInternalApi.UpdateRowRequest.parseFrom(body).getTableName());
            case "DeleteRow":
                return List.of(OtsInternalApi.DeleteRowRequest.parseFrom(body).getTableName());
            case "GetRange":
                return List.of(OtsInternalApi.GetRangeRequest.parseFrom(body).getTableName());
            case "BatchGetRow":
                return OtsInternalApi.BatchGetRowRequest.parseFrom(body).getTablesList().stream()
                        .map(OtsInternalApi.TableInBatchGetRowRequest::getTableName).collect(Collectors.toList());
            case "BatchWriteRow":
                return OtsInternalApi.BatchWriteRowRequest.parseFrom(body).getTablesList().stream()
                        .map(OtsInternalApi.TableInBatchWriteRowRequest::getTableName).collect(Collectors.toList());
            case "CreateSearchIndex":
                return List.of(Search.CreateSearchIndexRequest.parseFrom(body).getTableName());
            case "DescribeSearchIndex":
                return List.of(Search.DescribeSearchIndexRequest.parseFrom(body).getTableName());
            case "ListSearchIndex": {
                Search.ListSearchIndexRequest list = Search.ListSearchIndexRequest.parseFrom(body);
                return list.hasTableName() ? List.of(list.getTableName()) : List.of();
            }
            case "DeleteSearchIndex":
                return List.of(Search.DeleteSearchIndexRequest.parseFrom(body).getTableName());
            case "Search":
                return List.of(Search.SearchRequest.parseFrom(body).getTableName());
            default:
                return List.of();
        }
    }

    /** The service's checks, in its order: headers, date, instance, key, token, signature, body MD5. */
    private void authenticate(HttpExchange exchange, String action, byte[] body) {
        for (String name : REQUIRED_HEADERS) {
            if (header(exchange, name) == null) {
                throw OtsError.invalid("Missing header: '" + name + "'.");
            }
        }
        if (!API_VERSION.equals(header(exchange, "x-ots-apiversion"))) {
            throw OtsError.invalid("Unsupported API version: '" + header(exchange, "x-ots-apiversion") + "'.");
        }
        String date = header(exchange, "x-ots-date");
        Instant sent;
        try {
            sent = Instant.parse(date);
        } catch (DateTimeParseException e) {
            throw OtsError.invalid("Invalid date format: " + date + ".");
        }
        Instant now = registry.clock().instant();
        if (Duration.between(sent, now).abs().compareTo(MAX_CLOCK_SKEW) > 0) {
            throw OtsError.authFailed("Mismatch between system time and x-ots-date: " + date + ".");
        }
        if (!instanceName.equals(header(exchange, "x-ots-instancename"))) {
            throw OtsError.authFailed("The instance is not found.");
        }
        Optional<CredentialRegistry.Credential> found = registry.find(header(exchange, "x-ots-accesskeyid"));
        if (found.isEmpty()) {
            throw OtsError.authFailed("The AccessKeyID does not exist.");
        }
        CredentialRegistry.Credential credential = found.get();
        String token = header(exchange, "x-ots-ststoken");
        if (credential.isTemporary()) {
            if (token == null || !MessageDigest.isEqual(bytes(token), bytes(credential.securityToken))) {
                throw OtsError.authFailed("The security token you provided is invalid.");
            }
            if (credential.isExpiredAt(now)) {
                throw OtsError.authFailed("The security token you provided has expired.");
            }
        } else if (token != null) {
            throw OtsError.authFailed("The security token you provided is invalid.");
        }
        String expected = requestSignature(exchange, action, credential.accessKeySecret);
        if (!MessageDigest.isEqual(bytes(expected), bytes(header(exchange, SIGNATURE)))) {
            throw OtsError.authFailed("Signature mismatch.");
        }
        if (!MessageDigest.isEqual(bytes(base64Md5(body)), bytes(header(exchange, "x-ots-contentmd5")))) {
            throw OtsError.authFailed("Mismatch between MD5 value of request body and x-ots-contentmd5 in header.");
        }
    }

    /** HMAC-SHA1 over "/" + action + "\nPOST\n\n" + the sorted x-ots-* headers but the signature, as the SDK signs. */
    static String requestSignature(HttpExchange exchange, String action, String secret) {
        TreeMap<String, String> otsHeaders = new TreeMap<>();
        for (Map.Entry<String, List<String>> entry : exchange.getRequestHeaders().entrySet()) {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(HEADER_PREFIX) && !name.equals(SIGNATURE) && !entry.getValue().isEmpty()) {
                otsHeaders.put(name, entry.getValue().get(0).trim());
            }
        }
        StringBuilder toSign = new StringBuilder("/").append(action).append("\nPOST\n\n");
        otsHeaders.forEach((name, value) -> toSign.append(name).append(':').append(value).append('\n'));
        return hmacSha1(secret, toSign.toString());
    }

    /** Sends {@code body} with the headers the SDK checks; signed with the caller's secret when the caller is known. */
    private void answer(HttpExchange exchange, int status, String action, String requestId,
            CredentialRegistry.Credential caller, byte[] body) throws IOException {
        TreeMap<String, String> headers = new TreeMap<>();
        headers.put("x-ots-contentmd5", base64Md5(body));
        headers.put("x-ots-contenttype", "protocol buffer");
        headers.put("x-ots-date", ISO_MILLIS.format(registry.clock().instant()));
        headers.put("x-ots-requestid", requestId);
        if (caller != null) {
            StringBuilder toSign = new StringBuilder();
            headers.forEach((name, value) -> toSign.append(name).append(':').append(value).append('\n'));
            toSign.append('/').append(action);
            headers.put("authorization", "OTS " + caller.accessKeyId + ":" + hmacSha1(caller.accessKeySecret, toSign.toString()));
        }
        headers.put("Content-Type", "application/x-protobuf");
        respond(exchange, status, headers, body);
    }

    private static byte[] readLimited(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            out.write(buffer, 0, n);
            if (out.size() > MAX_REQUEST_BYTES) {
                throw new OtsError(413, "OTSRequestBodyTooLarge", "The size of POST data is too large.");
            }
        }
        return out.toByteArray();
    }

    private static String header(HttpExchange exchange, String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String base64Md5(byte[] body) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hmacSha1(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(bytes(secret), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(bytes(text)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
