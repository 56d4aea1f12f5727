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
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fcminiapp.common.tables.Cmp;
import com.fcminiapp.common.tables.FieldType;
import com.fcminiapp.common.tables.Filter;
import com.fcminiapp.common.tables.Sort;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The translation of parsed filters and sorts into the SDK's search queries, values typed as the index holds them. */
class SearchQueriesTest {

    static final Map<String, FieldType> TYPES = Map.of("id", FieldType.STRING, "likes", FieldType.INTEGER,
            "score", FieldType.NUMBER, "tags", FieldType.STRING_ARRAY, "done", FieldType.BOOLEAN);
    final SearchQueries queries = new SearchQueries(TYPES::get);

    @Test
    void comparisonsBecomeTermAndRangeQueriesWithValuesOfTheIndexedType() {
        TermQuery eq = (TermQuery) queries.query(Filter.compare("likes", Cmp.EQ, DoubleNode.valueOf(3.0)));
        assertThat(eq.getFieldName()).isEqualTo("likes");
        assertThat(eq.getTerm()).isEqualTo(ColumnValue.fromLong(3));
        RangeQuery gte = (RangeQuery) queries.query(Filter.compare("score", Cmp.GTE, IntNode.valueOf(2)));
        assertThat(gte.getFrom()).isEqualTo(ColumnValue.fromDouble(2.0));
        assertThat(gte.isIncludeLower()).isTrue();
        assertThat(gte.getTo()).isNull();
        RangeQuery lt = (RangeQuery) queries.query(Filter.compare("likes", Cmp.LT, IntNode.valueOf(9)));
        assertThat(lt.getTo()).isEqualTo(ColumnValue.fromLong(9));
        assertThat(lt.isIncludeUpper()).isFalse();
        BoolQuery ne = (BoolQuery) queries.query(Filter.compare("done", Cmp.NE, com.fasterxml.jackson.databind.node
                .BooleanNode.TRUE));
        assertThat(ne.getMustQueries()).singleElement().isInstanceOf(MatchAllQuery.class);
        assertThat(((TermQuery) ne.getMustNotQueries().get(0)).getTerm()).isEqualTo(ColumnValue.fromBoolean(true));
    }

    @Test
    void inPrefixExistsAndTheirNegationsHaveTheirOwnQueries() {
        TermsQuery in = (TermsQuery) queries.query(Filter.in("tags", List.of(TextNode.valueOf("a"),
                TextNode.valueOf("b"))));
        assertThat(in.getTerms()).containsExactly(ColumnValue.fromString("a"), ColumnValue.fromString("b"));
        assertThat(((PrefixQuery) queries.query(Filter.prefix("id", "ab"))).getPrefix()).isEqualTo("ab");
        assertThat(((ExistsQuery) queries.query(Filter.exists("tags", true))).getFieldName()).isEqualTo("tags");
        BoolQuery missing = (BoolQuery) queries.query(Filter.exists("tags", false));
        assertThat(missing.getMustNotQueries()).singleElement().isInstanceOf(ExistsQuery.class);
        assertThat(queries.query(Filter.all())).isInstanceOf(MatchAllQuery.class);
    }

    @Test
    void andIsMustOrIsShouldWithOneToMatchAndNotExcludesFromEveryRow() {
        Filter a = Filter.compare("likes", Cmp.EQ, IntNode.valueOf(1));
        Filter b = Filter.prefix("id", "x");
        BoolQuery and = (BoolQuery) queries.query(Filter.and(List.of(a, b)));
        assertThat(and.getMustQueries()).hasSize(2);
        BoolQuery or = (BoolQuery) queries.query(Filter.or(List.of(a, b)));
        assertThat(or.getShouldQueries()).hasSize(2);
        assertThat(or.getMinimumShouldMatch()).isEqualTo(1);
        BoolQuery not = (BoolQuery) queries.query(Filter.not(Filter.or(List.of(a, b))));
        Query excluded = not.getMustNotQueries().get(0);
        assertThat(((BoolQuery) excluded).getShouldQueries()).hasSize(2);
    }

    @Test
    void sortsEndWithIdAscendingUnlessTheyNameIdThemselves() {
        assertThat(SearchQueries.sorters(List.of())).singleElement()
                .satisfies(s -> assertSort(s, "id", SortOrder.ASC));
        var sorters = SearchQueries.sorters(List.of(Sort.desc("likes")));
        assertThat(sorters).hasSize(2);
        assertSort(sorters.get(0), "likes", SortOrder.DESC);
        assertSort(sorters.get(1), "id", SortOrder.ASC);
        assertThat(SearchQueries.sorters(List.of(Sort.desc("id"), Sort.asc("likes")))).singleElement()
                .satisfies(s -> assertSort(s, "id", SortOrder.DESC));
    }

    private static void assertSort(Object sorter, String field, SortOrder order) {
        FieldSort sort = (FieldSort) sorter;
        assertThat(sort.getFieldName()).isEqualTo(field);
        assertThat(sort.getOrder()).isEqualTo(order);
    }
}
