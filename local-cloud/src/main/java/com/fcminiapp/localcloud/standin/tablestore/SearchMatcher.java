package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.core.protocol.Search;
import com.aliyun.ots.thirdparty.com.google.protobuf.ByteString;
import com.aliyun.ots.thirdparty.com.google.protobuf.InvalidProtocolBufferException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A search {@code Query} compiled against an index's schema into a test of one row's indexed values. Compiling
 * checks every field and value first, so a bad query is refused even on an empty index, as the service does.
 * Emulated: MatchAll, Term, Terms, Range, Prefix, Exists and Bool; on an array field a condition holds when one
 * element meets it.
 */
final class SearchMatcher {

    private static final int MAX_BOOL_CLAUSES = 1024;

    private final IndexDefinition index;

    private SearchMatcher(IndexDefinition index) {
        this.index = index;
    }

    /**
     * The test {@code query} stands for on {@code index}, over one row's values per field (as
     * {@link RowVersions.Version#doc} gives them); no query matches every row.
     */
    static Predicate<Map<String, List<Object>>> compile(IndexDefinition index, Search.Query query) {
        return query == null ? doc -> true : new SearchMatcher(index).compile(query, 0);
    }

    /**
     * The value a compiled {@code query} requires of {@code field} through a Term query every match must meet (at
     * its top or in must/filter clauses of Bools), or null: lets a search read only that partition's rows.
     */
    static String requiredKeyword(Search.Query query, String field) {
        if (query == null) {
            return null;
        }
        try {
            if (query.getType() == Search.QueryType.TERM_QUERY) {
                Search.TermQuery term = Search.TermQuery.parseFrom(query.getQuery());
                Object value = term.getFieldName().equals(field) ? IndexField.variantValue(term.getTerm().toByteArray())
                        : null;
                return value instanceof String ? (String) value : null;
            }
            if (query.getType() == Search.QueryType.BOOL_QUERY) {
                Search.BoolQuery bool = Search.BoolQuery.parseFrom(query.getQuery());
                List<Search.Query> required = new ArrayList<>(bool.getMustQueriesList());
                required.addAll(bool.getFilterQueriesList());
                for (Search.Query sub : required) {
                    String value = requiredKeyword(sub, field);
                    if (value != null) {
                        return value;
                    }
                }
            }
        } catch (InvalidProtocolBufferException e) {
            // compile() refused it already
        }
        return null;
    }

    /**
     * The keys of a superset of the rows a compiled {@code query} can match, from {@code postings}: a Term's or
     * Terms' rows, for a Bool the smallest such set among its must and filter clauses; null when the query requires
     * no term (then every row is a candidate). Each candidate must still be tested.
     */
    static Set<String> candidates(Search.Query query, SearchPostings postings) {
        try {
            switch (query.getType()) {
                case TERM_QUERY: {
                    Search.TermQuery term = Search.TermQuery.parseFrom(query.getQuery());
                    return keysWith(postings, term.getFieldName(), List.of(term.getTerm()));
                }
                case TERMS_QUERY: {
                    Search.TermsQuery terms = Search.TermsQuery.parseFrom(query.getQuery());
                    return keysWith(postings, terms.getFieldName(), terms.getTermsList());
                }
                case BOOL_QUERY: {
                    Search.BoolQuery bool = Search.BoolQuery.parseFrom(query.getQuery());
                    List<Search.Query> required = new ArrayList<>(bool.getMustQueriesList());
                    required.addAll(bool.getFilterQueriesList());
                    Set<String> smallest = null;
                    for (Search.Query sub : required) {
                        Set<String> keys = candidates(sub, postings);
                        smallest = keys != null && (smallest == null || keys.size() < smallest.size()) ? keys
                                : smallest;
                    }
                    return smallest;
                }
                default:
                    return null;
            }
        } catch (InvalidProtocolBufferException e) {
            // compile() refused it already
            return null;
        }
    }

    /** The rows listed under any of {@code terms} of field {@code name}; null when the field has no postings. */
    private static Set<String> keysWith(SearchPostings postings, String name, List<ByteString> terms) {
        Map<Object, Set<String>> values = postings.field(name);
        if (values == null) {
            return null;
        }
        IndexField field = postings.index.field(name);
        Set<String> keys = new HashSet<>();
        for (ByteString term : terms) {
            Set<String> listed = values.get(field.queryValue(term, "The term"));
            if (listed != null) {
                keys.addAll(listed);
            }
        }
        return keys;
    }

    private Predicate<Map<String, List<Object>>> compile(Search.Query query, int depth) {
        if (depth > 32) {
            throw OtsError.invalid("The query is nested too deeply.");
        }
        ByteString body = query.getQuery();
        try {
            switch (query.getType()) {
                case MATCH_ALL_QUERY:
                    return doc -> true;
                case TERM_QUERY:
                    return term(Search.TermQuery.parseFrom(body));
                case TERMS_QUERY:
                    return terms(Search.TermsQuery.parseFrom(body));
                case RANGE_QUERY:
                    return range(Search.RangeQuery.parseFrom(body));
                case PREFIX_QUERY:
                    return prefix(Search.PrefixQuery.parseFrom(body));
                case EXISTS_QUERY:
                    return exists(Search.ExistsQuery.parseFrom(body));
                case BOOL_QUERY:
                    return bool(Search.BoolQuery.parseFrom(body), depth);
                default:
                    throw IndexDefinition.notEmulated("the query type " + query.getType() + "; it emulates MatchAll,"
                            + " Term, Terms, Range, Prefix, Exists and Bool queries");
            }
        } catch (InvalidProtocolBufferException e) {
            throw OtsError.invalid("Failed to parse the " + query.getType() + ": " + e.getMessage());
        }
    }

    /** The indexed field a query names; a field the schema lacks, or does not index, is refused. */
    private IndexField queried(String fieldName) {
        IndexField field = index.field(fieldName);
        if (!field.indexed) {
            throw OtsError.invalid("Field [" + fieldName + "] is not indexed (index is false) in search index ["
                    + index.name + "].");
        }
        return field;
    }

    private Predicate<Map<String, List<Object>>> term(Search.TermQuery query) {
        IndexField field = queried(query.getFieldName());
        if (!query.hasTerm()) {
            throw OtsError.invalid("TermQuery on field [" + field.name + "] needs a term.");
        }
        Object term = field.queryValue(query.getTerm(), "The term");
        return doc -> {
            for (Object value : doc.get(field.name)) {
                if (IndexField.compareValues(value, term) == 0) {
                    return true;
                }
            }
            return false;
        };
    }

    private Predicate<Map<String, List<Object>>> terms(Search.TermsQuery query) {
        IndexField field = queried(query.getFieldName());
        if (query.getTermsCount() == 0) {
            throw OtsError.invalid("TermsQuery on field [" + field.name + "] needs at least one term.");
        }
        if (query.getTermsCount() > MAX_BOOL_CLAUSES) {
            throw OtsError.invalid("TermsQuery on field [" + field.name + "] has more than " + MAX_BOOL_CLAUSES
                    + " terms.");
        }
        List<Object> terms = new ArrayList<>();
        for (ByteString term : query.getTermsList()) {
            terms.add(field.queryValue(term, "A term"));
        }
        return doc -> {
            for (Object value : doc.get(field.name)) {
                for (Object term : terms) {
                    if (IndexField.compareValues(value, term) == 0) {
                        return true;
                    }
                }
            }
            return false;
        };
    }

    private Predicate<Map<String, List<Object>>> range(Search.RangeQuery query) {
        IndexField field = queried(query.getFieldName());
        Object from = query.hasRangeFrom() ? field.queryValue(query.getRangeFrom(), "The range's lower bound") : null;
        Object to = query.hasRangeTo() ? field.queryValue(query.getRangeTo(), "The range's upper bound") : null;
        boolean includeLower = query.getIncludeLower();
        boolean includeUpper = query.getIncludeUpper();
        return doc -> doc.get(field.name).stream().anyMatch(value -> {
            if (from != null) {
                int c = IndexField.compareValues(value, from);
                if (c < 0 || (c == 0 && !includeLower)) {
                    return false;
                }
            }
            if (to != null) {
                int c = IndexField.compareValues(value, to);
                return c < 0 || (c == 0 && includeUpper);
            }
            return true;
        });
    }

    private Predicate<Map<String, List<Object>>> prefix(Search.PrefixQuery query) {
        IndexField field = queried(query.getFieldName());
        if (field.type != Search.FieldType.KEYWORD) {
            throw OtsError.invalid("PrefixQuery needs a KEYWORD field, but field [" + field.name + "] is "
                    + field.type + ".");
        }
        String prefix = query.getPrefix();
        return doc -> doc.get(field.name).stream().anyMatch(value -> ((String) value).startsWith(prefix));
    }

    private Predicate<Map<String, List<Object>>> exists(Search.ExistsQuery query) {
        IndexField field = queried(query.getFieldName());
        return doc -> !doc.get(field.name).isEmpty();
    }

    /**
     * must and filter: all hold; must_not: none holds; should: at least minimum_should_match hold, which defaults
     * to 1 when there is no must or filter clause and to 0 otherwise (Elasticsearch's rule, which the service
     * follows).
     */
    private Predicate<Map<String, List<Object>>> bool(Search.BoolQuery query, int depth) {
        int clauses = query.getMustQueriesCount() + query.getMustNotQueriesCount() + query.getFilterQueriesCount()
                + query.getShouldQueriesCount();
        if (clauses > MAX_BOOL_CLAUSES) {
            throw OtsError.invalid("BoolQuery has more than " + MAX_BOOL_CLAUSES + " clauses.");
        }
        List<Predicate<Map<String, List<Object>>>> all = new ArrayList<>();
        for (Search.Query sub : query.getMustQueriesList()) {
            all.add(compile(sub, depth + 1));
        }
        for (Search.Query sub : query.getFilterQueriesList()) {
            all.add(compile(sub, depth + 1));
        }
        List<Predicate<Map<String, List<Object>>>> none = new ArrayList<>();
        for (Search.Query sub : query.getMustNotQueriesList()) {
            none.add(compile(sub, depth + 1));
        }
        List<Predicate<Map<String, List<Object>>>> some = new ArrayList<>();
        for (Search.Query sub : query.getShouldQueriesList()) {
            some.add(compile(sub, depth + 1));
        }
        int minimum = minimumShouldMatch(query, all.isEmpty());
        return doc -> holds(doc, all, none, some, minimum);
    }

    private static boolean holds(Map<String, List<Object>> doc, List<Predicate<Map<String, List<Object>>>> all,
            List<Predicate<Map<String, List<Object>>>> none, List<Predicate<Map<String, List<Object>>>> some,
            int minimum) {
        for (Predicate<Map<String, List<Object>>> p : all) {
            if (!p.test(doc)) {
                return false;
            }
        }
        for (Predicate<Map<String, List<Object>>> p : none) {
            if (p.test(doc)) {
                return false;
            }
        }
        int matched = 0;
        for (int i = 0; i < some.size() && matched < minimum; i++) {
            if (some.get(i).test(doc)) {
                matched++;
            }
        }
        return matched >= minimum;
    }

    private static int minimumShouldMatch(Search.BoolQuery query, boolean noRequiredClause) {
        if (query.hasMinimumShouldMatch()) {
            if (query.getShouldQueriesCount() == 0) {
                throw OtsError.invalid("minimum_should_match needs should queries.");
            }
            if (query.getMinimumShouldMatch() < 0) {
                throw OtsError.invalid("minimum_should_match must not be negative.");
            }
            return query.getMinimumShouldMatch();
        }
        return noRequiredClause && query.getShouldQueriesCount() > 0 ? 1 : 0;
    }
}
