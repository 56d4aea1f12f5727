package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.core.protocol.OtsInternalApi;
import com.alicloud.openservices.tablestore.core.protocol.Search;
import com.fcminiapp.localcloud.standin.DurableStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.type.StringDataType;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Tablestore's search indexes: definitions kept durably in the MVStore beside the tables, content derived from the
 * tables' rows (rebuilt at start) and kept in memory. An index sees a write {@link #lag} after it was applied, as the
 * service's asynchronous sync does; a new index sees the rows already in its table after the lag too.
 */
final class SearchIndexes implements RowObserver {

    /** How far an index trails the table unless told otherwise (the service's sync lag is up to a few seconds). */
    static final Duration DEFAULT_LAG = Duration.ofMillis(1000);

    private static final String INDEXES_MAP = "tablestore.searchIndexes";

    private final TableEngine engine;
    private final Clock clock;
    /** {@code <table>/<index>} → {@link IndexDefinition#toBytes()}. */
    private final MVMap<String, byte[]> definitions;
    private final DurableStore durability;
    private final Map<String, IndexDefinition> byKey = new ConcurrentHashMap<>();
    /** Per table with at least one index: storage key → the row's recent versions. */
    private final Map<String, ConcurrentNavigableMap<String, RowVersions>> views = new ConcurrentHashMap<>();
    /** {@code <table>/<index>} → that index's postings, kept beside its table's view. */
    private final Map<String, SearchPostings> postings = new ConcurrentHashMap<>();
    private volatile long lagMillis = DEFAULT_LAG.toMillis();

    SearchIndexes(MVStore store, Clock clock, TableEngine engine) {
        this.engine = engine;
        this.clock = clock;
        this.definitions = store.openMap(INDEXES_MAP,
                new MVMap.Builder<String, byte[]>().keyType(StringDataType.INSTANCE));
        this.durability = new DurableStore(store);
        for (Map.Entry<String, byte[]> entry : definitions.entrySet()) {
            String[] parts = entry.getKey().split("/", 2);
            IndexDefinition index = IndexDefinition.fromBytes(parts[0], parts[1], entry.getValue());
            byKey.put(entry.getKey(), index);
            engine.underWriteLock(parts[0], () -> postings.put(entry.getKey(),
                    SearchPostings.of(index, views.computeIfAbsent(parts[0], this::loadView))));
        }
        engine.observeWith(this);
    }

    /** Sets how long after a write the indexes see it; zero makes them see it at once. */
    void lag(Duration lag) {
        if (lag.isNegative()) {
            throw new IllegalArgumentException("the search lag must not be negative: " + lag);
        }
        lagMillis = lag.toMillis();
    }

    Duration lag() {
        return Duration.ofMillis(lagMillis);
    }

    /** The newest write time an index sees now. */
    long cutoff() {
        return clock.millis() - lagMillis;
    }

    // ---- definitions ----

    Search.CreateSearchIndexResponse create(Search.CreateSearchIndexRequest request) {
        String table = request.getTableName();
        OtsInternalApi.DescribeTableResponse description = engine.describeTable(table);
        IndexDefinition index = IndexDefinition.create(request, description, clock.millis());
        engine.underWriteLock(table, () -> {
            // read again under the lock: the table may have been deleted meanwhile
            engine.describeTable(table);
            String key = key(table, index.name);
            if (definitions.putIfAbsent(key, index.toBytes()) != null) {
                throw new OtsError(409, "OTSObjectAlreadyExist", "Requested search index already exists: ["
                        + index.name + "] of table [" + table + "].");
            }
            byKey.put(key, index);
            postings.put(key, SearchPostings.of(index, views.computeIfAbsent(table, this::loadView)));
            durability.markApplied();
            return null;
        });
        durability.awaitApplied();
        return Search.CreateSearchIndexResponse.getDefaultInstance();
    }

    Search.DescribeSearchIndexResponse describe(Search.DescribeSearchIndexRequest request) {
        IndexDefinition index = find(request.getTableName(), request.getIndexName());
        long now = clock.millis();
        long rows = countVisible(index, cutoff());
        Search.DescribeSearchIndexResponse.Builder answer = Search.DescribeSearchIndexResponse.newBuilder()
                .setSchema(withDefaultSort(index.schema))
                .setSyncStat(Search.SyncStat.newBuilder()
                        .setSyncPhase(Search.SyncPhase.INCR)
                        // micros, as the service reports it: what the index has caught up to
                        .setCurrentSyncTimestamp(Math.max(index.createdAt, now - lagMillis) * 1000))
                .setMeteringInfo(Search.MeteringInfo.newBuilder()
                        .setRowCount(rows).setStorageSize(0).setReservedReadCu(0).setTimestamp(now / 1000))
                .setCreateTime(index.createdAt * 1000)
                .setTimeToLive(-1)
                .setIndexStatus(Search.IndexStatus.newBuilder().setStatus(Search.IndexStatusEnum.RUNNING)
                        .setStatusDescription("RUNNING"));
        return answer.build();
    }

    private static Search.IndexSchema withDefaultSort(Search.IndexSchema schema) {
        if (schema.hasIndexSort()) {
            return schema;
        }
        return schema.toBuilder().setIndexSort(Search.Sort.newBuilder().addSorter(Search.Sorter.newBuilder()
                .setPkSort(Search.PrimaryKeySort.newBuilder().setOrder(Search.SortOrder.SORT_ORDER_ASC)))).build();
    }

    Search.ListSearchIndexResponse list(Search.ListSearchIndexRequest request) {
        if (request.hasTableName()) {
            engine.describeTable(request.getTableName());
        }
        Search.ListSearchIndexResponse.Builder answer = Search.ListSearchIndexResponse.newBuilder();
        for (String key : definitions.keyList()) {
            IndexDefinition index = byKey.get(key);
            if (index != null && (!request.hasTableName() || index.table.equals(request.getTableName()))) {
                answer.addIndices(Search.IndexInfo.newBuilder().setTableName(index.table).setIndexName(index.name));
            }
        }
        return answer.build();
    }

    Search.DeleteSearchIndexResponse delete(Search.DeleteSearchIndexRequest request) {
        String table = request.getTableName();
        find(table, request.getIndexName());
        engine.underWriteLock(table, () -> {
            String key = key(table, request.getIndexName());
            if (definitions.remove(key) == null) {
                throw indexNotFound(table, request.getIndexName());
            }
            byKey.remove(key);
            postings.remove(key);
            if (indexesOf(table).isEmpty()) {
                views.remove(table);
            }
            durability.markApplied();
            return null;
        });
        durability.awaitApplied();
        return Search.DeleteSearchIndexResponse.getDefaultInstance();
    }

    /** Index {@code name} of {@code table}; the service's refusals for a missing table or index. */
    IndexDefinition find(String table, String name) {
        engine.describeTable(table);
        IndexDefinition index = byKey.get(key(table, name));
        if (index == null) {
            throw indexNotFound(table, name);
        }
        return index;
    }

    /** The name of {@code table}'s first primary-key column when it is a STRING (its partition key), else null. */
    String stringPartitionKey(String table) {
        OtsInternalApi.PrimaryKeySchema first = engine.describeTable(table).getTableMeta().getPrimaryKey(0);
        return first.getType() == OtsInternalApi.PrimaryKeyType.STRING ? first.getName() : null;
    }

    /** The indexes of {@code table}, in name order. */
    List<IndexDefinition> indexesOf(String table) {
        List<IndexDefinition> found = new ArrayList<>();
        for (String key : definitions.keyList()) {
            IndexDefinition index = byKey.get(key);
            if (index != null && index.table.equals(table)) {
                found.add(index);
            }
        }
        return found;
    }

    private static OtsError indexNotFound(String table, String name) {
        return new OtsError(404, "OTSObjectNotExist", "Requested search index does not exist: [" + name
                + "] of table [" + table + "].");
    }

    private static String key(String table, String index) {
        return table + "/" + index;
    }

    // ---- content ----

    /** The rows of {@code table} as they are now; called under its write lock. */
    private ConcurrentNavigableMap<String, RowVersions> loadView(String table) {
        ConcurrentNavigableMap<String, RowVersions> view = new ConcurrentSkipListMap<>();
        engine.forEachRow(table, (key, row) -> view.put(key, RowVersions.of(RowVersions.LONG_AGO, row)));
        return view;
    }

    /** The rows of {@code index}'s table, each with its versions; empty when it has none yet. */
    ConcurrentNavigableMap<String, RowVersions> view(IndexDefinition index) {
        ConcurrentNavigableMap<String, RowVersions> view = views.get(index.table);
        return view == null ? new ConcurrentSkipListMap<>() : view;
    }

    /** The postings of {@code index}, or null when it is gone. */
    SearchPostings postings(IndexDefinition index) {
        return postings.get(key(index.table, index.name));
    }

    private List<SearchPostings> postingsOf(String table) {
        List<SearchPostings> found = new ArrayList<>();
        postings.forEach((key, p) -> {
            if (key.startsWith(table + "/")) {
                found.add(p);
            }
        });
        return found;
    }

    private long countVisible(IndexDefinition index, long cutoff) {
        if (index.createdAt > cutoff) {
            return 0;
        }
        return view(index).values().stream().map(versions -> versions.visibleAt(cutoff))
                .filter(version -> version != null && version.row != null).count();
    }

    @Override
    public void rowWritten(String table, String key, StoredRow row, long at) {
        ConcurrentNavigableMap<String, RowVersions> view = views.get(table);
        if (view == null) {
            return;
        }
        RowVersions versions = view.get(key);
        long cutoff = at - lagMillis;
        RowVersions next = versions == null ? RowVersions.of(at, row) : versions.with(at, row, cutoff);
        List<SearchPostings> ofTable = postingsOf(table);
        ofTable.forEach(p -> p.list(key, next));
        view.put(key, next);
        ofTable.forEach(p -> p.unlistStale(key, versions, next));
    }

    @Override
    public void tableDeleted(String table) {
        for (IndexDefinition index : indexesOf(table)) {
            String key = key(table, index.name);
            definitions.remove(key);
            byKey.remove(key);
            postings.remove(key);
        }
        views.remove(table);
    }
}
