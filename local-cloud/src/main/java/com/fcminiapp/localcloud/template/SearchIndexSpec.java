package com.fcminiapp.localcloud.template;

import com.alicloud.openservices.tablestore.core.protocol.Search;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code ALIYUN::OTS::SearchIndex} resource (properties InstanceName, TableName, IndexName, FieldSchemas,
 * IndexSort, IndexSetting; https://www.alibabacloud.com/help/en/ros/developer-reference/aliyun-ots-searchindex),
 * intrinsics resolved, as the CreateSearchIndex request ROS makes of it.
 */
public final class SearchIndexSpec {

    private static final Set<String> FIELD_KEYS = Set.of("FieldName", "FieldType", "Index", "IsArray",
            "EnableSortAndAgg", "Store", "Analyzer", "SubFieldSchemas");
    private static final Set<String> SORTER_KEYS = Set.of("FieldSort", "PrimaryKeySort", "ScoreSort",
            "GeoDistanceSort");

    private final String instance;
    private final String resource;
    private final Search.CreateSearchIndexRequest request;

    private SearchIndexSpec(String instance, String resource, Search.CreateSearchIndexRequest request) {
        this.instance = instance;
        this.resource = resource;
        this.request = request;
    }

    public String instance() { return instance; }
    public String tableName() { return request.getTableName(); }
    public String indexName() { return request.getIndexName(); }
    /** The template's logical id of the resource, for messages. */
    public String resource() { return resource; }
    /** The CreateSearchIndex request ROS sends for it. */
    public Search.CreateSearchIndexRequest request() { return request; }

    /** Reads a resource's resolved {@code Properties}; a property it cannot carry is refused naming it. */
    @SuppressWarnings("unchecked")
    static SearchIndexSpec of(String resource, Map<String, Object> props) {
        Search.IndexSchema.Builder schema = Search.IndexSchema.newBuilder();
        for (Object field : list(props.get("FieldSchemas"), resource + ".FieldSchemas")) {
            schema.addFieldSchemas(field(resource, (Map<String, Object>) map(field, resource + ".FieldSchemas")));
        }
        if (props.get("IndexSort") != null) {
            Map<String, Object> sort = map(props.get("IndexSort"), resource + ".IndexSort");
            schema.setIndexSort(sort(resource, list(sort.get("Sorters"), resource + ".IndexSort.Sorters")));
        }
        if (props.get("IndexSetting") != null) {
            Map<String, Object> setting = map(props.get("IndexSetting"), resource + ".IndexSetting");
            Search.IndexSetting.Builder built = Search.IndexSetting.newBuilder().setNumberOfShards(1);
            if (setting.get("RoutingFields") != null) {
                list(setting.get("RoutingFields"), resource + ".IndexSetting.RoutingFields")
                        .forEach(name -> built.addRoutingFields(String.valueOf(name)));
            }
            schema.setIndexSetting(built);
        }
        Search.CreateSearchIndexRequest request = Search.CreateSearchIndexRequest.newBuilder()
                .setTableName(required(props, "TableName", resource))
                .setIndexName(required(props, "IndexName", resource))
                .setSchema(schema)
                .build();
        return new SearchIndexSpec(required(props, "InstanceName", resource), resource, request);
    }

    private static Search.FieldSchema field(String resource, Map<String, Object> field) {
        String where = resource + ".FieldSchemas[" + field.get("FieldName") + "]";
        for (String key : field.keySet()) {
            if (!FIELD_KEYS.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown property " + key);
            }
        }
        Search.FieldSchema.Builder built = Search.FieldSchema.newBuilder()
                .setFieldName(required(field, "FieldName", where))
                .setFieldType(fieldType(required(field, "FieldType", where), where));
        flag(field, "Index", where).ifPresent(built::setIndex);
        flag(field, "IsArray", where).ifPresent(built::setIsArray);
        flag(field, "EnableSortAndAgg", where).ifPresent(built::setSortAndAgg);
        flag(field, "Store", where).ifPresent(built::setStore);
        if (field.get("Analyzer") != null) {
            built.setAnalyzer(String.valueOf(field.get("Analyzer")));
        }
        if (field.get("SubFieldSchemas") != null) {
            throw new IllegalArgumentException(where + ": local-cloud does not emulate nested fields (SubFieldSchemas)");
        }
        return built.build();
    }

    /** {@code Keyword}, {@code KEYWORD} or {@code FieldType.KEYWORD} (the ROS doc's and Terraform's spellings). */
    private static Search.FieldType fieldType(String text, String where) {
        String name = text.replaceFirst("^FieldType\\.", "").toUpperCase(Locale.ROOT);
        try {
            return Search.FieldType.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": unknown FieldType " + text);
        }
    }

    private static Search.Sort sort(String resource, List<?> sorters) {
        Search.Sort.Builder sort = Search.Sort.newBuilder();
        for (Object item : sorters) {
            Map<String, Object> sorter = map(item, resource + ".IndexSort.Sorters");
            for (String key : sorter.keySet()) {
                if (!SORTER_KEYS.contains(key)) {
                    throw new IllegalArgumentException(resource + ".IndexSort.Sorters: unknown sorter " + key);
                }
            }
            if (sorter.get("FieldSort") != null) {
                Map<String, Object> field = map(sorter.get("FieldSort"), resource + ".IndexSort.FieldSort");
                Search.FieldSort.Builder built = Search.FieldSort.newBuilder()
                        .setFieldName(required(field, "FieldName", resource + ".IndexSort.FieldSort"))
                        .setOrder(order(field.get("SortOrder")));
                if (field.get("SortMode") != null) {
                    built.setMode(mode(String.valueOf(field.get("SortMode")), resource));
                }
                sort.addSorter(Search.Sorter.newBuilder().setFieldSort(built));
            } else if (sorter.get("PrimaryKeySort") != null) {
                Map<String, Object> key = map(sorter.get("PrimaryKeySort"), resource + ".IndexSort.PrimaryKeySort");
                sort.addSorter(Search.Sorter.newBuilder().setPkSort(Search.PrimaryKeySort.newBuilder()
                        .setOrder(order(key.get("SortOrder")))));
            } else {
                throw new IllegalArgumentException(resource + ".IndexSort: local-cloud does not emulate "
                        + sorter.keySet() + "; an index sort takes FieldSort and PrimaryKeySort");
            }
        }
        return sort.build();
    }

    private static Search.SortMode mode(String text, String resource) {
        switch (text.toUpperCase(Locale.ROOT)) {
            case "MIN":
                return Search.SortMode.SORT_MODE_MIN;
            case "MAX":
                return Search.SortMode.SORT_MODE_MAX;
            case "AVG":
                return Search.SortMode.SORT_MODE_AVG;
            default:
                throw new IllegalArgumentException(resource + ".IndexSort: SortMode must be MIN, MAX or AVG, not "
                        + text);
        }
    }

    private static Search.SortOrder order(Object value) {
        return value != null && "DESC".equalsIgnoreCase(String.valueOf(value)) ? Search.SortOrder.SORT_ORDER_DESC
                : Search.SortOrder.SORT_ORDER_ASC;
    }

    private static Optional<Boolean> flag(Map<String, Object> field, String key, String where) {
        Object value = field.get(key);
        if (value == null) {
            return Optional.empty();
        }
        String text = String.valueOf(value);
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(where + ": " + key + " must be true or false, not " + text);
        }
        return Optional.of(Boolean.parseBoolean(text.toLowerCase(Locale.ROOT)));
    }

    private static String required(Map<String, Object> props, String key, String where) {
        Object value = props.get(key);
        if (value == null || String.valueOf(value).isBlank()) {
            throw new IllegalArgumentException(where + ": " + key + " is required");
        }
        return String.valueOf(value);
    }

    private static List<?> list(Object value, String where) {
        if (!(value instanceof List)) {
            throw new IllegalArgumentException(where + " must be a list");
        }
        return (List<?>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(where + " must be a mapping");
        }
        return (Map<String, Object>) value;
    }
}
