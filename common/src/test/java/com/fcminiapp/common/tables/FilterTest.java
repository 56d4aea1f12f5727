package com.fcminiapp.common.tables;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.fcminiapp.common.tables.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilterTest {

    private static final Filter A = Filter.compare("a", Cmp.EQ, json("1"));
    private static final Filter B = Filter.prefix("b", "x");
    private static final Filter C = Filter.exists("c", false);

    @Test
    void andDropsAllPartsFlattensAndUnwrapsOne() {
        assertThat(Filter.and(List.of()).isAll()).isTrue();
        assertThat(Filter.and(List.of(Filter.all(), Filter.all())).isAll()).isTrue();
        assertThat(Filter.and(List.of(Filter.all(), A))).isEqualTo(A);
        assertThat(Filter.and(List.of(Filter.and(List.of(A, B)), C))).isEqualTo(Filter.and(List.of(A, B, C)));
    }

    @Test
    void orWithAnAllPartIsAllAndNeedsAPart() {
        assertThat(Filter.or(List.of(A, Filter.all())).isAll()).isTrue();
        assertThat(Filter.or(List.of(A))).isEqualTo(A);
        assertThat(Filter.or(List.of(Filter.or(List.of(A, B)), C))).isEqualTo(Filter.or(List.of(A, B, C)));
        assertThatThrownBy(() -> Filter.or(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void visitorsSeeEachKindWithItsParts() {
        Filter f = Filter.and(List.of(Filter.or(List.of(A, Filter.not(B))), Filter.in("d", List.of(json("'x'"))), C));
        String shown = f.accept(new Filter.Visitor<String>() {
            @Override
            public String all() {
                return "*";
            }

            @Override
            public String and(List<Filter> parts) {
                return "and(" + join(parts) + ")";
            }

            @Override
            public String or(List<Filter> parts) {
                return "or(" + join(parts) + ")";
            }

            @Override
            public String not(Filter part) {
                return "not(" + part.accept(this) + ")";
            }

            @Override
            public String compare(String field, Cmp cmp, JsonNode value) {
                return field + cmp + value;
            }

            @Override
            public String in(String field, List<JsonNode> values) {
                return field + "IN" + values;
            }

            @Override
            public String prefix(String field, String prefix) {
                return field + "^" + prefix;
            }

            @Override
            public String exists(String field, boolean exists) {
                return field + (exists ? "?" : "!");
            }

            private String join(List<Filter> parts) {
                StringBuilder out = new StringBuilder();
                for (Filter part : parts) {
                    out.append(out.length() == 0 ? "" : ",").append(part.accept(this));
                }
                return out.toString();
            }
        });

        assertThat(shown).isEqualTo("and(or(aEQ1,not(b^x)),dIN[\"x\"],c!)");
        assertThat(Filter.all().accept(new FilterMatchAll())).isTrue();
    }

    @Test
    void equalFiltersAreEqual() {
        assertThat(Filter.compare("a", Cmp.EQ, json("1"))).isEqualTo(A).hasSameHashCodeAs(A);
        assertThat(Filter.compare("a", Cmp.NE, json("1"))).isNotEqualTo(A);
        assertThat(Filter.not(B)).isEqualTo(Filter.not(Filter.prefix("b", "x")));
        assertThat(Filter.exists("c", true)).isNotEqualTo(C);
        assertThat(Sort.asc("x")).isEqualTo(Sort.of("x", false)).isNotEqualTo(Sort.desc("x"));
    }

    /** A visitor answering true only for all(). */
    private static final class FilterMatchAll implements Filter.Visitor<Boolean> {
        @Override
        public Boolean all() {
            return true;
        }

        @Override
        public Boolean and(List<Filter> parts) {
            return false;
        }

        @Override
        public Boolean or(List<Filter> parts) {
            return false;
        }

        @Override
        public Boolean not(Filter part) {
            return false;
        }

        @Override
        public Boolean compare(String field, Cmp cmp, JsonNode value) {
            return false;
        }

        @Override
        public Boolean in(String field, List<JsonNode> values) {
            return false;
        }

        @Override
        public Boolean prefix(String field, String prefix) {
            return false;
        }

        @Override
        public Boolean exists(String field, boolean exists) {
            return false;
        }
    }
}
