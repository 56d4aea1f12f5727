package com.fcminiapp.kit.internal;

import com.alicloud.openservices.tablestore.SyncClient;
import com.alicloud.openservices.tablestore.TableStoreException;
import com.alicloud.openservices.tablestore.model.Row;
import com.alicloud.openservices.tablestore.model.search.SearchQuery;
import com.alicloud.openservices.tablestore.model.search.SearchRequest;
import com.alicloud.openservices.tablestore.model.search.SearchResponse;
import com.alicloud.openservices.tablestore.model.search.sort.Sort;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fcminiapp.common.error.ApiException;
import com.fcminiapp.common.tables.AccessPolicy;
import com.fcminiapp.common.tables.AccessPolicy.Actor;
import com.fcminiapp.common.tables.Cmp;
import com.fcminiapp.common.tables.Filter;
import com.fcminiapp.common.tables.QuerySpec;
import com.fcminiapp.common.tables.RowOp;
import com.fcminiapp.common.tables.TableDeclaration;
import com.fcminiapp.common.tablestore.TablestoreErrors;

import java.util.Base64;
import java.util.List;

/**
 * {@code query} and {@code count} on a declared table's search index ({@code <table>_index}) through the SDK's
 * Search: the caller's where and orderBy parsed against the declaration ({@link QuerySpec}), ANDed with the
 * policy's read filter (the caller's partition, or a rules table's cover; a query the rule cannot be proven to
 * cover is PERMISSION_DENIED, never filtered), rows sorted by orderBy then {@code id}, decoded exactly as get
 * decodes them. {@code next} is the SDK's token as base64url. The index trails writes by its lag.
 */
public final class QueryService {

    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 20;
    /** Longer {@code next} tokens are not ones a query returned. */
    private static final int MAX_TOKEN_CHARS = 16384;

    private final SyncClient client;
    private final AccessPolicy policy = new AccessPolicy();

    public QueryService(SyncClient client) {
        this.client = client;
    }

    /** One page of the rows {@code a} may read that match {@code where}, in {@code orderBy} order. */
    public RowService.Page query(Actor a, TableDeclaration t, JsonNode where, JsonNode orderBy, int limit,
                                 String next) {
        policy.checkOp(t, a, RowOp.QUERY);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("limit must be a whole number from 1 to " + MAX_LIMIT + ".");
        }
        QuerySpec spec = QuerySpec.parse(t, where, orderBy);
        SearchQuery query = new SearchQuery();
        query.setQuery(new SearchQueries(t::indexType).query(readable(t, a, spec.where())));
        query.setLimit(limit);
        if (next == null) {
            query.setSort(new Sort(SearchQueries.sorters(spec.orderBy())));
        } else {
            // the token holds the sort of the query's first page (and where it stopped)
            query.setToken(token(next));
        }
        SearchResponse response = search(t, query);
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        for (Row row : response.getRows()) {
            items.add(RowService.item(t, RowService.idOf(row), row));
        }
        byte[] token = response.getNextToken();
        String nextToken = token == null || token.length == 0 ? null
                : Base64.getUrlEncoder().withoutPadding().encodeToString(token);
        return new RowService.Page(items, nextToken);
    }

    /** How many rows {@code a} may read match {@code where}. */
    public long count(Actor a, TableDeclaration t, JsonNode where) {
        policy.checkOp(t, a, RowOp.COUNT);
        QuerySpec spec = QuerySpec.parse(t, where, null);
        SearchQuery query = new SearchQuery();
        query.setQuery(new SearchQueries(t::indexType).query(readable(t, a, spec.where())));
        query.setLimit(0);
        query.setGetTotalCount(true);
        return search(t, query).getTotalCount();
    }

    /**
     * {@code where} ANDed with what {@code a} may read: the policy's filter and, on a private table, the partition
     * the actor names (the server's {@code rowsOf(uid)} too reaches that user's rows only).
     */
    private Filter readable(TableDeclaration t, Actor a, Filter where) {
        Filter partition = t.shared() ? Filter.all()
                : Filter.compare(TableDeclaration.UID, Cmp.EQ, TextNode.valueOf(a.uid()));
        return Filter.and(List.of(where, policy.readFilter(t, a, where), partition));
    }

    private SearchResponse search(TableDeclaration t, SearchQuery query) {
        SearchRequest request = new SearchRequest(t.name(), t.searchIndexName(), query);
        SearchRequest.ColumnsToGet columns = new SearchRequest.ColumnsToGet();
        columns.setReturnAll(true);
        request.setColumnsToGet(columns);
        try {
            return client.search(request);
        } catch (TableStoreException e) {
            if (e.getHttpStatus() == 400) {
                // what the declaration let through but the index refuses: an index older than the declaration, or
                // a token of another query; the service's own text is not passed on
                throw ApiException.invalid("The search index of table " + t.name() + " refused this query (a field,"
                        + " value or sort it does not hold, or a next of another query); check where, orderBy and"
                        + " next against the table's declared indexes.");
            }
            throw TablestoreErrors.unavailable(e);
        } catch (RuntimeException e) {
            throw TablestoreErrors.unavailable(e);
        }
    }

    private static byte[] token(String next) {
        try {
            if (next.isEmpty() || next.length() > MAX_TOKEN_CHARS) {
                throw new IllegalArgumentException("length");
            }
            return Base64.getUrlDecoder().decode(next);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("next is not a token this query returned; start over without next.");
        }
    }
}
