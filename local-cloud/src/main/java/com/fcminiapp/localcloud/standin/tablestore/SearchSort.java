package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.core.protocol.Search;
import com.aliyun.ots.thirdparty.com.google.protobuf.ByteString;
import com.aliyun.ots.thirdparty.com.google.protobuf.InvalidProtocolBufferException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The order of a search's rows: its FieldSorts and PrimaryKeySort, then the primary key ascending as the tie-break
 * (the service adds that sorter unless told not to; the stand-in keeps it either way, so that every order is total
 * and a token marks one exact place). A row's sort key is one value per sorter: a field's value (an array's by the
 * sort mode; {@code null} when missing, which sorts last, or first with the SDK's {@code FIRST_WHEN_MISSING}, in
 * either direction) or the row's storage key.
 */
final class SearchSort {

    private static final byte[] TOKEN_MAGIC = "LCS1".getBytes(StandardCharsets.US_ASCII);

    /** One sorter: a field's ({@code field} set) or the primary key's. */
    private static final class Sorter {
        final IndexField field;
        final boolean descending;
        final Search.SortMode mode;
        final Object missing;
        final boolean missingFirst;

        Sorter(IndexField field, boolean descending, Search.SortMode mode, Object missing, boolean missingFirst) {
            this.field = field;
            this.descending = descending;
            this.mode = mode;
            this.missing = missing;
            this.missingFirst = missingFirst;
        }
    }

    /** The sort as the request (or the token, or the index) gives it: what a token is tied to. */
    final Search.Sort sort;
    private final List<Sorter> sorters;

    private SearchSort(Search.Sort sort, List<Sorter> sorters) {
        this.sort = sort;
        this.sorters = sorters;
    }

    /** {@code sort} checked against {@code index}: sorted fields must exist and enable sort and aggregation. */
    static SearchSort of(Search.Sort sort, IndexDefinition index) {
        List<Sorter> sorters = new ArrayList<>();
        boolean byPrimaryKey = false;
        for (Search.Sorter sorter : sort.getSorterList()) {
            if (sorter.hasFieldSort()) {
                sorters.add(fieldSorter(sorter.getFieldSort(), index));
            } else if (sorter.hasPkSort()) {
                sorters.add(new Sorter(null, sorter.getPkSort().getOrder() == Search.SortOrder.SORT_ORDER_DESC, null,
                        null, false));
                byPrimaryKey = true;
                break;
            } else {
                throw IndexDefinition.notEmulated("score, geo-distance and doc sorts; it emulates FieldSort and"
                        + " PrimaryKeySort");
            }
        }
        if (!byPrimaryKey) {
            sorters.add(new Sorter(null, false, null, null, false));
        }
        return new SearchSort(sort, List.copyOf(sorters));
    }

    /** The order a search without a sort gets: the index's sort, by default the primary key ascending. */
    static SearchSort defaultFor(IndexDefinition index) {
        return of(index.schema.hasIndexSort() ? index.schema.getIndexSort() : Search.Sort.getDefaultInstance(), index);
    }

    /** Checks an index sort at CreateSearchIndex: FieldSort and PrimaryKeySort only, on sortable fields. */
    static void checkIndexSort(Search.Sort sort, IndexDefinition index) {
        of(sort, index);
    }

    private static Sorter fieldSorter(Search.FieldSort sort, IndexDefinition index) {
        IndexField field = index.field(sort.getFieldName());
        if (!field.sortable) {
            throw OtsError.invalid("Field [" + field.name + "] of search index [" + index.name + "] does not enable"
                    + " sort and aggregation (enable_sort_and_agg), so it cannot be sorted on.");
        }
        if (sort.hasNestedFilter() || sort.hasMissingField()) {
            throw IndexDefinition.notEmulated("a sort's nested_filter or missing_field");
        }
        boolean descending = sort.getOrder() == Search.SortOrder.SORT_ORDER_DESC;
        Search.SortMode mode = sort.hasMode() ? sort.getMode()
                : descending ? Search.SortMode.SORT_MODE_MAX : Search.SortMode.SORT_MODE_MIN;
        if (mode == Search.SortMode.SORT_MODE_AVG
                && field.type != Search.FieldType.LONG && field.type != Search.FieldType.DOUBLE) {
            throw OtsError.invalid("Sort mode AVG needs a LONG or DOUBLE field, but [" + field.name + "] is "
                    + field.type + ".");
        }
        Object missing = null;
        boolean missingFirst = false;
        if (sort.hasMissingValue()) {
            // the SDK's FieldSort.FIRST_WHEN_MISSING / LAST_WHEN_MISSING are these strings, whatever the field's type
            Object given = IndexField.variantValue(sort.getMissingValue().toByteArray());
            missingFirst = "_first".equals(given);
            if (!missingFirst && !"_last".equals(given)) {
                missing = field.queryValue(sort.getMissingValue(), "The missing value");
            }
        }
        return new Sorter(field, descending, mode, missing, missingFirst);
    }

    /**
     * The field of the first sorter when rows may be found in its order by walking the field's values: a MIN or
     * MAX sort (a row sorts at one of its own values) with rows lacking the field last; else null.
     */
    IndexField walkableField() {
        Sorter first = sorters.get(0);
        boolean walkable = first.field != null && first.mode != Search.SortMode.SORT_MODE_AVG
                && first.missing == null && !first.missingFirst;
        return walkable ? first.field : null;
    }

    /** Whether the first sorter sorts descending. */
    boolean firstDescending() {
        return sorters.get(0).descending;
    }

    /** The sort key of a row: its storage key {@code rowKey}, its indexed values {@code doc}. */
    Object[] keyOf(String rowKey, Map<String, List<Object>> doc) {
        Object[] key = new Object[sorters.size()];
        for (int i = 0; i < key.length; i++) {
            Sorter sorter = sorters.get(i);
            if (sorter.field == null) {
                key[i] = rowKey;
            } else {
                Object value = pick(doc.get(sorter.field.name), sorter.mode);
                key[i] = value == null ? sorter.missing : value;
            }
        }
        return key;
    }

    private static Object pick(List<Object> values, Search.SortMode mode) {
        if (values.isEmpty()) {
            return null;
        }
        if (mode == Search.SortMode.SORT_MODE_AVG) {
            double sum = 0;
            for (Object value : values) {
                sum += ((Number) value).doubleValue();
            }
            return sum / values.size();
        }
        Object best = values.get(0);
        for (Object value : values) {
            int c = IndexField.compareValues(value, best);
            if (mode == Search.SortMode.SORT_MODE_MAX ? c > 0 : c < 0) {
                best = value;
            }
        }
        return best;
    }

    /** Orders two sort keys of this sort. */
    int compare(Object[] a, Object[] b) {
        for (int i = 0; i < sorters.size(); i++) {
            Object x = a[i];
            Object y = b[i];
            if (x == null || y == null) {
                if (x != y) {
                    // a row without the field sorts last (or first) whatever the direction
                    boolean first = sorters.get(i).missingFirst;
                    return (x == null) == first ? -1 : 1;
                }
                continue;
            }
            int c = IndexField.compareValues(x, y);
            if (c != 0) {
                return sorters.get(i).descending ? -c : c;
            }
        }
        return 0;
    }

    /** The opaque next token after the row with sort key {@code last}: this sort and that key. */
    byte[] token(Object[] last) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(TOKEN_MAGIC);
            byte[] sortBytes = sort.toByteArray();
            out.writeInt(sortBytes.length);
            out.write(sortBytes);
            out.writeInt(last.length);
            for (int i = 0; i < last.length; i++) {
                // the last sorter is always the primary key's
                writeValue(out, last[i], i == last.length - 1);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeValue(DataOutputStream out, Object value, boolean rowKey) throws IOException {
        if (value == null) {
            out.writeByte(0);
            return;
        }
        byte[] encoded = rowKey && value instanceof String
                ? ((String) value).getBytes(StandardCharsets.ISO_8859_1) : IndexField.variantOf(value);
        out.writeByte(rowKey ? 2 : 1);
        out.writeInt(encoded.length);
        out.write(encoded);
    }

    /** A token read back: the sort it was made with and the sort key it points after. */
    static final class Position {
        final Search.Sort sort;
        final Object[] after;

        Position(Search.Sort sort, Object[] after) {
            this.sort = sort;
            this.after = after;
        }
    }

    /** Reads a token this stand-in made; anything else is the service's invalid-token refusal. */
    static Position readToken(ByteString token, IndexDefinition index) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(token.toByteArray()))) {
            byte[] magic = in.readNBytes(TOKEN_MAGIC.length);
            if (!Arrays.equals(magic, TOKEN_MAGIC)) {
                throw invalidToken();
            }
            byte[] sortBytes = in.readNBytes(in.readInt());
            Search.Sort sort = Search.Sort.parseFrom(sortBytes);
            int count = in.readInt();
            if (count < 1 || count > 64) {
                throw invalidToken();
            }
            Object[] after = new Object[count];
            for (int i = 0; i < count; i++) {
                after[i] = readValue(in, index, sort, i);
            }
            return new Position(sort, after);
        } catch (IOException | RuntimeException e) {
            if (e instanceof OtsError) {
                throw (OtsError) e;
            }
            throw invalidToken();
        }
    }

    private static Object readValue(DataInputStream in, IndexDefinition index, Search.Sort sort, int i)
            throws IOException {
        int kind = in.readByte();
        if (kind == 0) {
            return null;
        }
        byte[] encoded = in.readNBytes(in.readInt());
        if (kind == 2) {
            return new String(encoded, StandardCharsets.ISO_8859_1);
        }
        if (i >= sort.getSorterCount() || !sort.getSorter(i).hasFieldSort()) {
            throw invalidToken();
        }
        Search.FieldSort fieldSort = sort.getSorter(i).getFieldSort();
        IndexField field = index.field(fieldSort.getFieldName());
        if (fieldSort.getMode() == Search.SortMode.SORT_MODE_AVG) {
            Object average = IndexField.variantValue(encoded);
            if (!(average instanceof Double)) {
                throw invalidToken();
            }
            return average;
        }
        return field.queryValue(ByteString.copyFrom(encoded), "The token's value");
    }

    static OtsError invalidToken() {
        return OtsError.invalid("The token is invalid.");
    }
}
