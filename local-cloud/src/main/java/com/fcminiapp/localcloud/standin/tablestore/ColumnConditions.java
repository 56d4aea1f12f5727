package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.core.protocol.OtsFilter;
import com.alicloud.openservices.tablestore.core.protocol.OtsInternalApi;
import com.alicloud.openservices.tablestore.core.protocol.PlainBufferConsts;
import com.alicloud.openservices.tablestore.core.protocol.PlainBufferInputStream;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.ColumnValue;
import com.aliyun.ots.thirdparty.com.google.protobuf.ByteString;
import com.aliyun.ots.thirdparty.com.google.protobuf.InvalidProtocolBufferException;

import java.io.IOException;
import java.util.Arrays;

/** Evaluates a write's {@code Condition} (row existence and column condition) against the stored row. */
final class ColumnConditions {

    private ColumnConditions() {
    }

    /** Throws OTSConditionCheckFail unless {@code condition} holds for {@code current} (null: no such row). */
    static void check(OtsInternalApi.Condition condition, StoredRow current) {
        switch (condition.getRowExistence()) {
            case EXPECT_EXIST:
                if (current == null) {
                    throw OtsError.conditionFailed();
                }
                break;
            case EXPECT_NOT_EXIST:
                if (current != null) {
                    throw OtsError.conditionFailed();
                }
                break;
            default:
                break;
        }
        if (condition.hasColumnCondition() && !passes(condition.getColumnCondition(), current)) {
            throw OtsError.conditionFailed();
        }
    }

    private static boolean passes(ByteString serializedFilter, StoredRow row) {
        try {
            OtsFilter.Filter filter = OtsFilter.Filter.parseFrom(serializedFilter);
            switch (filter.getType()) {
                case FT_SINGLE_COLUMN_VALUE:
                    return single(OtsFilter.SingleColumnValueFilter.parseFrom(filter.getFilter()), row);
                case FT_COMPOSITE_COLUMN_VALUE:
                    return composite(OtsFilter.CompositeColumnValueFilter.parseFrom(filter.getFilter()), row);
                default:
                    throw OtsError.invalid("Unsupported column condition type: " + filter.getType() + ".");
            }
        } catch (InvalidProtocolBufferException e) {
            throw OtsError.invalid("Invalid column condition: " + e.getMessage());
        }
    }

    private static boolean composite(OtsFilter.CompositeColumnValueFilter filter, StoredRow row) {
        switch (filter.getCombinator()) {
            case LO_NOT:
                if (filter.getSubFiltersCount() != 1) {
                    throw OtsError.invalid("The NOT condition takes exactly one sub condition.");
                }
                return !passes(filter.getSubFilters(0).toByteString(), row);
            case LO_AND:
                for (OtsFilter.Filter sub : filter.getSubFiltersList()) {
                    if (!passes(sub.toByteString(), row)) {
                        return false;
                    }
                }
                return true;
            case LO_OR:
                for (OtsFilter.Filter sub : filter.getSubFiltersList()) {
                    if (passes(sub.toByteString(), row)) {
                        return true;
                    }
                }
                return false;
            default:
                throw OtsError.invalid("Unsupported logical operator: " + filter.getCombinator() + ".");
        }
    }

    private static boolean single(OtsFilter.SingleColumnValueFilter filter, StoredRow row) {
        Column column = row == null ? null : row.columns.get(filter.getColumnName());
        if (column == null) {
            return !filter.getFilterIfMissing();
        }
        ColumnValue actual = column.getValue();
        ColumnValue expected = decodeValue(filter.getColumnValue().toByteArray());
        if (actual.getType() != expected.getType()) {
            // values of different types are never equal and have no order
            return filter.getComparator() == OtsFilter.ComparatorType.CT_NOT_EQUAL;
        }
        int order = compare(actual, expected);
        switch (filter.getComparator()) {
            case CT_EQUAL:
                return order == 0;
            case CT_NOT_EQUAL:
                return order != 0;
            case CT_GREATER_THAN:
                return order > 0;
            case CT_GREATER_EQUAL:
                return order >= 0;
            case CT_LESS_THAN:
                return order < 0;
            case CT_LESS_EQUAL:
                return order <= 0;
            default:
                throw OtsError.invalid("Unsupported comparator: " + filter.getComparator() + ".");
        }
    }

    static int compare(ColumnValue a, ColumnValue b) {
        switch (a.getType()) {
            case INTEGER:
                return Long.compare(a.asLong(), b.asLong());
            case DOUBLE:
                return Double.compare(a.asDouble(), b.asDouble());
            case BOOLEAN:
                return Boolean.compare(a.asBoolean(), b.asBoolean());
            case STRING:
                return Arrays.compareUnsigned(a.asStringInBytes(), b.asStringInBytes());
            case BINARY:
                return Arrays.compareUnsigned(a.asBinary(), b.asBinary());
            default:
                throw OtsError.invalid("Unsupported column type: " + a.getType() + ".");
        }
    }

    /** A value as the SDK writes it in a condition: type byte, then the value without a length prefix. */
    private static ColumnValue decodeValue(byte[] bytes) {
        try {
            PlainBufferInputStream in = new PlainBufferInputStream(bytes);
            byte type = in.readRawByte();
            switch (type) {
                case PlainBufferConsts.VT_INTEGER:
                    return ColumnValue.fromLong(in.readRawLittleEndian64());
                case PlainBufferConsts.VT_DOUBLE:
                    return ColumnValue.fromDouble(in.readDouble());
                case PlainBufferConsts.VT_BOOLEAN:
                    return ColumnValue.fromBoolean(in.readBoolean());
                case PlainBufferConsts.VT_STRING:
                    return ColumnValue.fromString(in.readUTFString(in.readRawLittleEndian32()));
                case PlainBufferConsts.VT_BLOB:
                    return ColumnValue.fromBinary(in.readBytes(in.readRawLittleEndian32()));
                default:
                    throw OtsError.invalid("Unsupported column value type in condition: " + type + ".");
            }
        } catch (IOException e) {
            throw OtsError.invalid("Invalid column value in condition: " + e.getMessage());
        }
    }
}
