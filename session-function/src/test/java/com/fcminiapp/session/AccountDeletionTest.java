package com.fcminiapp.session;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.model.BatchWriteRowRequest;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.Direction;
import com.alicloud.openservices.tablestore.model.GetRangeRequest;
import com.alicloud.openservices.tablestore.model.GetRangeResponse;
import com.alicloud.openservices.tablestore.model.PrimaryKeyBuilder;
import com.alicloud.openservices.tablestore.model.PrimaryKeyValue;
import com.alicloud.openservices.tablestore.model.RangeRowQueryCriteria;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.RowPutChange;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.model.ListObjectsRequest;
import com.aliyun.oss.model.OSSObjectSummary;
import com.aliyun.oss.model.ObjectListing;
import com.fcminiapp.common.session.SessionIds;
import com.fcminiapp.common.tablestore.TableProvisioner;
import com.fcminiapp.common.users.TablestoreUserStore;
import com.fcminiapp.common.users.UserRecord;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deleteAccount end to end through the real SDKs against the stand-ins: two users with rows in a private and a
 * creator-write table (more than a batch of them), a check-in row in a table only an app function names (APP_TABLES,
 * as examples/checkin's {@code checkin}), files in both folders, a phone number and three sessions each.
 * Everything of A goes, everything of B stays (exact sets), also after an upstream fault half way.
 */
class AccountDeletionTest {

    static final String NOTES = "notes";
    static final String POSTS = "posts";
    static final String DECLARATION = "{\"" + NOTES + "\":{\"mode\":\"private\"},\"" + POSTS
            + "\":{\"mode\":\"creator-write\"}}";
    /** A table outside DATA_TABLES that an app function keeps per user: the session function's APP_TABLES. */
    static final String CHECKIN = "checkin";
    /** More of A's shared rows than one BatchWriteRow takes, interleaved with B's. */
    static final int A_POSTS = 250;

    private SessionCloud cloud;
    private SyncClient admin;
    private OSS files;
    private TablestoreUserStore users;
    private EntryPoint.Driver fn;
    private User a;
    private User b;

    /** A logged-in user: the uid and the three session ids. */
    static final class User {
        final String name;
        final String uid;
        final List<String> sids;

        User(String name, String uid, List<String> sids) {
            this.name = name;
            this.uid = uid;
            this.sids = sids;
        }
    }

    @BeforeEach
    void start() {
        cloud = new SessionCloud();
        Map<String, String> env = cloud.environment();
        env.put("DATA_TABLES", DECLARATION);
        env.put("APP_TABLES", CHECKIN);
        // faults here are failures, not stalls: a slow, busy machine must not turn a 200-row batch into a timeout
        env.put("UPSTREAM_TIMEOUT_MS", "20000");
        fn = EntryPoint.INVOKE.start(env, Clock.systemUTC());
        admin = cloud.admin();
        TableProvisioner provisioner = new TableProvisioner(admin);
        provisioner.ensureTable(NOTES, List.of("uid", "id"), null);
        provisioner.ensureTable(POSTS, List.of("uid", "id"), null);
        provisioner.ensureTable(CHECKIN, List.of("uid", "id"), null);
        CredentialRegistry.Credential key = cloud.registry.createPermanent("LTAIfiles");
        files = new OSSClientBuilder().build(cloud.oss.endpoint(), key.accessKeyId, key.accessKeySecret);
        users = new TablestoreUserStore(admin, "miniapp_users");
        a = seed("amy", 3);
        b = seed("bob", 2);
        putPosts();
    }

    @AfterEach
    void stop() {
        files.shutdown();
        cloud.close();
    }

    private User seed(String name, int notes) {
        List<String> sids = new ArrayList<>();
        String uid = null;
        for (int i = 1; i <= 3; i++) {
            EntryPoint.Reply login = fn.post(cloud.context(), "{\"authCode\":\"" + name + ":" + i + "\"}");
            assertThat(login.status).as(login.toString()).isEqualTo(200);
            sids.add(login.json.get("sessionId").asText());
            uid = login.json.get("userId").asText();
        }
        BatchWriteRowRequest batch = new BatchWriteRowRequest();
        for (int i = 0; i < notes; i++) {
            batch.addRowChange(row(NOTES, uid, "n" + i, null));
        }
        // what examples/checkin's function writes: one row per user, id total
        batch.addRowChange(row(CHECKIN, uid, "total", null));
        admin.batchWriteRow(batch);
        for (String path : List.of("users/" + uid + "/a.txt", "users/" + uid + "/deep/b c.txt",
                "public/" + uid + "/avatar.png", "public/" + uid + "/x/y.png", "users/" + uid + "x/neighbour.txt")) {
            files.putObject(SessionCloud.BUCKET, path, new ByteArrayInputStream(path.getBytes(StandardCharsets.UTF_8)));
        }
        users.setPhone(uid, "1381234" + notes + "678", Instant.now());
        return new User(name, uid, sids);
    }

    /** A's 250 posts and B's 5, in one shared partition with ids interleaved. */
    private void putPosts() {
        List<RowPutChange> rows = new ArrayList<>();
        for (int i = 0; i < A_POSTS; i++) {
            rows.add(row(POSTS, "*", String.format("p%04d", i * 2), a.uid));
            if (i % 50 == 0) {
                rows.add(row(POSTS, "*", String.format("p%04d", i * 2 + 1), b.uid));
            }
        }
        for (int from = 0; from < rows.size(); from += 200) {
            BatchWriteRowRequest batch = new BatchWriteRowRequest();
            rows.subList(from, Math.min(rows.size(), from + 200)).forEach(batch::addRowChange);
            admin.batchWriteRow(batch);
        }
    }

    private static RowPutChange row(String table, String partition, String id, String owner) {
        RowPutChange put = new RowPutChange(table, PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("uid", PrimaryKeyValue.fromString(partition))
                .addPrimaryKeyColumn("id", PrimaryKeyValue.fromString(id)).build());
        put.addColumn(new Column("text", ColumnValue.fromString("hello")));
        if (owner != null) {
            put.addColumn(new Column("_owner", ColumnValue.fromString(owner)));
        }
        return put;
    }

    private EntryPoint.Reply call(String action, String sid) {
        return fn.post(cloud.context(), "{\"action\":\"" + action + "\",\"sessionId\":\"" + sid + "\"}");
    }

    /** Every row of {@code table} as {@code uid/id/_owner}, read with a new client (none left from a fault). */
    private Set<String> rows(String table) {
        CredentialRegistry.Credential key = cloud.registry.createPermanent("LTAIreader");
        SyncClient reader = new SyncClient(cloud.tablestore.endpoint(), key.accessKeyId, key.accessKeySecret,
                SessionCloud.INSTANCE);
        try {
            return rows(reader, table);
        } finally {
            reader.shutdown();
        }
    }

    private UserRecord userRow(String uid) {
        CredentialRegistry.Credential key = cloud.registry.createPermanent("LTAIreader");
        SyncClient reader = new SyncClient(cloud.tablestore.endpoint(), key.accessKeyId, key.accessKeySecret,
                SessionCloud.INSTANCE);
        try {
            return new TablestoreUserStore(reader, "miniapp_users").find(uid).orElse(null);
        } finally {
            reader.shutdown();
        }
    }

    private static Set<String> rows(SyncClient admin, String table) {
        RangeRowQueryCriteria range = new RangeRowQueryCriteria(table);
        range.setInclusiveStartPrimaryKey(PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("uid", PrimaryKeyValue.INF_MIN).addPrimaryKeyColumn("id", PrimaryKeyValue.INF_MIN).build());
        range.setExclusiveEndPrimaryKey(PrimaryKeyBuilder.createPrimaryKeyBuilder()
                .addPrimaryKeyColumn("uid", PrimaryKeyValue.INF_MAX).addPrimaryKeyColumn("id", PrimaryKeyValue.INF_MAX).build());
        range.setDirection(Direction.FORWARD);
        range.setMaxVersions(1);
        Set<String> out = new TreeSet<>();
        for (int page = 0; page < 100; page++) {
            GetRangeResponse response = admin.getRange(new GetRangeRequest(range));
            for (Row row : response.getRows()) {
                Column owner = row.getLatestColumn("_owner");
                out.add(row.getPrimaryKey().getPrimaryKeyColumn("uid").getValue().asString() + "/"
                        + row.getPrimaryKey().getPrimaryKeyColumn("id").getValue().asString() + "/"
                        + (owner == null ? "" : owner.getValue().asString()));
            }
            if (response.getNextStartPrimaryKey() == null) {
                return out;
            }
            range.setInclusiveStartPrimaryKey(response.getNextStartPrimaryKey());
        }
        throw new AssertionError("no end of " + table);
    }

    private Set<String> keys() {
        Set<String> out = new TreeSet<>();
        ListObjectsRequest request = new ListObjectsRequest(SessionCloud.BUCKET).withMaxKeys(1000);
        ObjectListing listing = files.listObjects(request);
        listing.getObjectSummaries().stream().map(OSSObjectSummary::getKey).forEach(out::add);
        assertThat(listing.isTruncated()).isFalse();
        return out;
    }

    private Set<String> sessionHashes() {
        Set<String> out = new TreeSet<>();
        cloud.sessionRows().forEach(r -> out.add(r.getPrimaryKey().getPrimaryKeyColumn("id").getValue().asString()));
        return out;
    }

    /** What of {@code u} the stores hold: rows, files, its users row, its session rows. */
    private Snapshot of(User u) {
        return new Snapshot(u);
    }

    final class Snapshot {
        final Set<String> notes = new TreeSet<>();
        final Set<String> posts = new TreeSet<>();
        final Set<String> checkins = new TreeSet<>();
        final Set<String> files = new TreeSet<>();
        final Set<String> sessions = new TreeSet<>();
        final UserRecord user;

        Snapshot(User u) {
            rows(NOTES).stream().filter(r -> r.startsWith(u.uid + "/")).forEach(notes::add);
            rows(POSTS).stream().filter(r -> r.endsWith("/" + u.uid)).forEach(posts::add);
            rows(CHECKIN).stream().filter(r -> r.startsWith(u.uid + "/")).forEach(checkins::add);
            keys().stream().filter(k -> k.startsWith("users/" + u.uid + "/") || k.startsWith("public/" + u.uid + "/")
                    || k.startsWith("users/" + u.uid + "x/")).forEach(files::add);
            Set<String> stored = sessionHashes();
            for (String sid : u.sids) {
                if (stored.contains(SessionIds.hash(sid))) {
                    sessions.add(SessionIds.hash(sid));
                }
            }
            user = userRow(u.uid);
        }

        @Override
        public String toString() {
            return notes + " " + posts.size() + " " + checkins + " " + files + " " + sessions + " " + user;
        }
    }

    private void assertGone(User u) {
        Snapshot s = of(u);
        assertThat(s.notes).isEmpty();
        assertThat(s.posts).isEmpty();
        assertThat(s.checkins).isEmpty();
        // a neighbouring folder whose name starts with the uid is not the user's
        assertThat(s.files).containsExactly("users/" + u.uid + "x/neighbour.txt");
        assertThat(s.sessions).isEmpty();
        assertThat(s.user).isNull();
    }

    private void assertUntouched(User u, int notes, int posts) {
        Snapshot s = of(u);
        assertThat(s.notes).hasSize(notes);
        assertThat(s.posts).hasSize(posts);
        assertThat(s.checkins).containsExactly(u.uid + "/total/");
        assertThat(s.files).containsExactlyInAnyOrder("users/" + u.uid + "/a.txt", "users/" + u.uid + "/deep/b c.txt",
                "public/" + u.uid + "/avatar.png", "public/" + u.uid + "/x/y.png", "users/" + u.uid + "x/neighbour.txt");
        assertThat(s.sessions).hasSize(3);
        assertThat(s.user.phone()).contains("1381234" + notes + "678");
        assertThat(s.user.sessions().keySet()).containsExactlyInAnyOrderElementsOf(s.sessions);
        assertThat(s.user.deletingSince()).isEmpty();
        for (String sid : u.sids) {
            assertThat(call("refresh", sid).status).isEqualTo(200);
        }
    }

    @Test
    void theSetUpHoldsWhatTheTestsDelete() {
        Snapshot amy = of(a);
        assertThat(amy.notes).hasSize(3);
        assertThat(amy.posts).hasSize(A_POSTS);
        assertThat(amy.checkins).containsExactly(a.uid + "/total/");
        assertThat(amy.files).hasSize(5);
        assertThat(amy.sessions).hasSize(3);
        assertThat(amy.user.sessions()).hasSize(3);
        assertUntouched(b, 2, 5);
    }

    @Test
    void deleteAccountRemovesEverythingOfTheUserAndNothingOfAnother() {
        Set<String> bobNotes = of(b).notes;
        Set<String> bobPosts = of(b).posts;

        EntryPoint.Reply reply = call("deleteAccount", a.sids.get(1));

        assertThat(reply.json.toString()).isEqualTo("{\"deleted\":true}");
        assertGone(a);
        assertUntouched(b, 2, 5);
        assertThat(of(b).notes).isEqualTo(bobNotes);
        assertThat(of(b).posts).isEqualTo(bobPosts);
        for (String sid : a.sids) {
            assertThat(call("refresh", sid).errorCode()).isEqualTo("UNAUTHENTICATED");
            assertThat(call("deleteAccount", sid).errorCode()).isEqualTo("UNAUTHENTICATED");
        }
    }

    @Test
    void aCheckedInUsersRowOfAnAppTableIsGoneAfterDeleteAccountAndAnotherUsersStays() {
        EntryPoint.Reply reply = call("deleteAccount", a.sids.get(2));

        assertThat(reply.json.toString()).isEqualTo("{\"deleted\":true}");
        assertThat(rows(CHECKIN)).containsExactly(b.uid + "/total/");
    }

    @Test
    void aNewLoginAfterTheDeletionStartsEmpty() {
        call("deleteAccount", a.sids.get(0));

        EntryPoint.Reply login = fn.post(cloud.context(), "{\"authCode\":\"amy:9\"}");

        assertThat(login.json.get("userId").asText()).isEqualTo(a.uid);
        UserRecord fresh = userRow(a.uid);
        assertThat(fresh.phone()).isEmpty();
        assertThat(fresh.sessions()).containsOnlyKeys(SessionIds.hash(login.json.get("sessionId").asText()));
        assertThat(of(a).notes).isEmpty();
        assertThat(of(a).posts).isEmpty();
        assertThat(of(a).checkins).isEmpty();
    }

    @Test
    void aTablestoreFaultHalfWayLeavesTheRecordAndUnusableSessionsAndARetryWithTheSameSessionFinishes() {
        // served: the session, the mark, the users row, three revokes, the notes' range and its batch; then failing
        cloud.tablestore.faults().failAfter(8, Long.MAX_VALUE);

        EntryPoint.Reply failed = call("deleteAccount", a.sids.get(0));
        cloud.tablestore.faults().clear();

        assertThat(failed.errorCode()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(failed.json.at("/error/message").asText()).contains("retry deleteAccount or log in again");
        Snapshot half = of(a);
        assertThat(half.user.deletingSince()).isPresent();
        assertThat(half.notes).isEmpty();
        assertThat(half.posts).hasSize(A_POSTS);
        // the app tables come after the declared ones
        assertThat(half.checkins).containsExactly(a.uid + "/total/");
        for (String sid : a.sids) {
            assertThat(call("refresh", sid).errorCode()).isEqualTo("UNAUTHENTICATED");
        }
        assertUntouched(b, 2, 5);

        assertThat(call("deleteAccount", a.sids.get(0)).json.toString()).isEqualTo("{\"deleted\":true}");
        assertGone(a);
        assertUntouched(b, 2, 5);
        assertThat(call("deleteAccount", a.sids.get(0)).errorCode()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void anOssFaultHalfWayIsFinishedByTheNextLoginWhichThenStartsEmpty() {
        // served: the private folder's listing and its delete; the public folder's listing fails
        cloud.oss.faults().failAfter(2, Long.MAX_VALUE);

        EntryPoint.Reply failed = call("deleteAccount", a.sids.get(2));
        cloud.oss.faults().clear();

        assertThat(failed.errorCode()).isEqualTo("UPSTREAM_UNAVAILABLE");
        Snapshot half = of(a);
        assertThat(half.user.deletingSince()).isPresent();
        assertThat(half.notes).isEmpty();
        assertThat(half.posts).isEmpty();
        assertThat(half.checkins).isEmpty();
        assertThat(half.files).containsExactlyInAnyOrder("public/" + a.uid + "/avatar.png",
                "public/" + a.uid + "/x/y.png", "users/" + a.uid + "x/neighbour.txt");
        assertThat(half.sessions).hasSize(3);
        for (String sid : a.sids) {
            assertThat(call("refresh", sid).errorCode()).isEqualTo("UNAUTHENTICATED");
        }
        assertUntouched(b, 2, 5);

        EntryPoint.Reply login = fn.post(cloud.context(), "{\"authCode\":\"amy:7\"}");

        assertThat(login.status).isEqualTo(200);
        String sid = login.json.get("sessionId").asText();
        assertThat(of(a).files).containsExactly("users/" + a.uid + "x/neighbour.txt");
        assertThat(of(a).sessions).isEmpty();
        UserRecord fresh = userRow(a.uid);
        assertThat(fresh.deletingSince()).isEmpty();
        assertThat(fresh.phone()).isEmpty();
        assertThat(fresh.sessions()).containsOnlyKeys(SessionIds.hash(sid));
        assertThat(call("refresh", sid).status).isEqualTo(200);
        assertUntouched(b, 2, 5);
    }

    @Test
    void aLoginWhileTheDeletionCannotFinishMakesNoSession() {
        cloud.oss.faults().failAfter(0, Long.MAX_VALUE);
        call("deleteAccount", a.sids.get(0));
        Set<String> before = sessionHashes();

        EntryPoint.Reply login = fn.post(cloud.context(), "{\"authCode\":\"amy:8\"}");
        cloud.oss.faults().clear();

        assertThat(login.errorCode()).isEqualTo("UPSTREAM_UNAVAILABLE");
        assertThat(sessionHashes()).isEqualTo(before);
        assertThat(userRow(a.uid).deletingSince()).isPresent();
    }

    @Test
    void loginsNeverBuildTheOssClientTheFirstDeletionDoes() {
        Map<String, String> env = cloud.environment();
        env.put("DATA_TABLES", DECLARATION);
        env.put("APP_TABLES", CHECKIN);
        EntryPoint.Driver fresh = EntryPoint.INVOKE.start(env, Clock.systemUTC());
        int before = com.fcminiapp.kit.internal.oss.OssConnections.built();

        String sid = fresh.post(cloud.context(), "{\"authCode\":\"cid:1\"}").json.get("sessionId").asText();
        fresh.post(cloud.context(), "{\"action\":\"refresh\",\"sessionId\":\"" + sid + "\"}");
        int afterLogin = com.fcminiapp.kit.internal.oss.OssConnections.built();
        fresh.post(cloud.context(), "{\"action\":\"deleteAccount\",\"sessionId\":\"" + sid + "\"}");

        assertThat(afterLogin).isEqualTo(before);
        assertThat(com.fcminiapp.kit.internal.oss.OssConnections.built()).isEqualTo(before + 1);
    }
}
