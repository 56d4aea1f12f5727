package com.fcminiapp.kit.internal;

import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.alicloud.openservices.tablestore.model.search.query.BoolQuery;
import com.alicloud.openservices.tablestore.model.search.query.ExistsQuery;
import com.alicloud.openservices.tablestore.model.search.query.MatchAllQuery;
import com.alicloud.openservices.tablestore.model.search.query.PrefixQuery;
import com.alicloud.openservices.tablestore.model.search.query.Query;
import com.alicloud.openservices.tablestore.model.search.query.RangeQuery;
import com.alicloud.openservices.tablestore.model.search.query.TermQuery;
import com.alicloud.openservices.tablestore.model.search.query.TermsQuery;
import com.alicloud.openservices.tablestore.model.search.sort.FieldSort;
import com.alicloud.openservices.tablestore.model.search.sort.SortOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.tables.Cmp;
import com.fcminiapp.common.tables.FieldType;
import com.fcminiapp.common.tables.Filter;
import com.fcminiapp.common.tables.Sort;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Translates a parsed {@link Filter} and {@link Sort}s into the Tablestore SDK's search queries and sorts: and → a
 * BoolQuery's must, or → should (one must match), not → must all but the part, a comparison → TermQuery or a
 * RangeQuery, in → TermsQuery, prefix → PrefixQuery, exists → ExistsQuery. Values are encoded as the index holds the
 * field ({@link ItemCodec#indexValue}); on a {@code string[]} field a term matches an element of the array.
 */
final class SearchQueries implements Filter.Visitor<Query> {

    private final Function<String, FieldType> types;

    /** @param types the declared type of each field a filter may name ({@code id}, {@code uid} included) */
    SearchQueries(Function<String, FieldType> types) {
        this.types = types;
    }

    /** The SDK query of {@code filter}. */
    Query query(Filter filter) {
        return filter.accept(this);
    }

    /** The query's sorts, then {@code id} ascending as the tie-break (alone when {@code sorts} is empty). */
    static List<com.alicloud.openservices.tablestore.model.search.sort.Sort.Sorter> sorters(List<Sort> sorts) {
        List<com.alicloud.openservices.tablestore.model.search.sort.Sort.Sorter> out = new ArrayList<>();
        for (Sort sort : sorts) {
            if (!sort.field().equals(ItemCodec.ID)) {
                out.add(new FieldSort(sort.field(), sort.descending() ? SortOrder.DESC : SortOrder.ASC));
            } else {
                // sorting on id says its direction: no tie-break is needed after it
                out.add(new FieldSort(ItemCodec.ID, sort.descending() ? SortOrder.DESC : SortOrder.ASC));
                return out;
            }
        }
        out.add(new FieldSort(ItemCodec.ID, SortOrder.ASC));
        return out;
    }

    @Override
    public Query all() {
        return new MatchAllQuery();
    }

    @Override
    public Query and(List<Filter> parts) {
        BoolQuery bool = new BoolQuery();
        bool.setMustQueries(translate(parts));
        return bool;
    }

    @Override
    public Query or(List<Filter> parts) {
        BoolQuery bool = new BoolQuery();
        bool.setShouldQueries(translate(parts));
        bool.setMinimumShouldMatch(1);
        return bool;
    }

    @Override
    public Query not(Filter part) {
        return except(part.accept(this));
    }

    @Override
    public Query compare(String field, Cmp cmp, JsonNode value) {
        ColumnValue term = value(field, value);
        switch (cmp) {
            case EQ:
                return term(field, term);
            case NE:
                return except(term(field, term));
            default:
                RangeQuery range = new RangeQuery();
                range.setFieldName(field);
                if (cmp == Cmp.GT || cmp == Cmp.GTE) {
                    range.setFrom(term, cmp == Cmp.GTE);
                } else {
                    range.setTo(term, cmp == Cmp.LTE);
                }
                return range;
        }
    }

    @Override
    public Query in(String field, List<JsonNode> values) {
        TermsQuery terms = new TermsQuery();
        terms.setFieldName(field);
        values.forEach(v -> terms.addTerm(value(field, v)));
        return terms;
    }

    @Override
    public Query prefix(String field, String prefix) {
        PrefixQuery query = new PrefixQuery();
        query.setFieldName(field);
        query.setPrefix(prefix);
        return query;
    }

    @Override
    public Query exists(String field, boolean exists) {
        ExistsQuery query = new ExistsQuery();
        query.setFieldName(field);
        return exists ? query : except(query);
    }

    private List<Query> translate(List<Filter> parts) {
        List<Query> out = new ArrayList<>(parts.size());
        parts.forEach(p -> out.add(p.accept(this)));
        return out;
    }

    private static Query term(String field, ColumnValue value) {
        TermQuery term = new TermQuery();
        term.setFieldName(field);
        term.setTerm(value);
        return term;
    }

    /** Every row but those {@code part} matches (a must of all rows, so the BoolQuery is never only negative). */
    private static Query except(Query part) {
        BoolQuery bool = new BoolQuery();
        bool.setMustQueries(List.of(new MatchAllQuery()));
        bool.setMustNotQueries(List.of(part));
        return bool;
    }

    private ColumnValue value(String field, JsonNode value) {
        FieldType type = types.apply(field);
        if (type == null) {
            throw new IllegalStateException("a filter names a field the declaration does not index");
        }
        return ItemCodec.indexValue(type, value);
    }
}
