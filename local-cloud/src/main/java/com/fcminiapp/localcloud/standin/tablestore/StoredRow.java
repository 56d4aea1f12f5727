package com.fcminiapp.localcloud.standin.tablestore;

import com.alicloud.openservices.tablestore.core.protocol.PlainBufferBuilder;
import com.alicloud.openservices.tablestore.core.protocol.PlainBufferCell;
import com.alicloud.openservices.tablestore.core.protocol.PlainBufferCodedInputStream;
import com.alicloud.openservices.tablestore.core.protocol.PlainBufferCodedOutputStream;
import com.alicloud.openservices.tablestore.core.protocol.PlainBufferConversion;
import com.alicloud.openservices.tablestore.core.protocol.PlainBufferInputStream;
import com.alicloud.openservices.tablestore.core.protocol.PlainBufferOutputStream;
import com.alicloud.openservices.tablestore.core.protocol.PlainBufferRow;
import com.alicloud.openservices.tablestore.model.Column;
import com.alicloud.openservices.tablestore.model.PrimaryKey;
import com.alicloud.openservices.tablestore.model.PrimaryKeyColumn;
import com.alicloud.openservices.tablestore.model.Row;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * One row as the stand-in keeps it: its primary key and one version (the latest write) of each attribute
 * column. Stored and answered in the SDK's own PlainBuffer encoding.
 */
final class StoredRow {

    final PrimaryKey primaryKey;
    final TreeMap<String, Column> columns;

    StoredRow(PrimaryKey primaryKey, TreeMap<String, Column> columns) {
        this.primaryKey = primaryKey;
        this.columns = columns;
    }

    StoredRow copy() {
        return new StoredRow(primaryKey, new TreeMap<>(columns));
    }

    /** Bytes of names and values, as Tablestore counts a row's size. */
    int dataSize() {
        int size = primaryKey.getDataSize();
        for (Column column : columns.values()) {
            size += column.getDataSize();
        }
        return size;
    }

    byte[] toBytes() {
        return encode(List.of(toPlainBuffer(columns.values())));
    }

    static StoredRow fromBytes(byte[] bytes) {
        List<PlainBufferRow> rows = decode(bytes);
        try {
            Row row = PlainBufferConversion.toRow(rows.get(0));
            TreeMap<String, Column> columns = new TreeMap<>();
            for (Column column : row.getColumns()) {
                columns.putIfAbsent(column.getName(), column);
            }
            return new StoredRow(row.getPrimaryKey(), columns);
        } catch (IOException e) {
            throw new UncheckedIOException("stored row is corrupt", e);
        }
    }

    /** The row restricted to {@code columnsToGet} (all columns when empty); null when nothing is left to show. */
    PlainBufferRow project(Collection<String> columnsToGet) {
        if (columnsToGet.isEmpty()) {
            return toPlainBuffer(columns.values());
        }
        List<Column> selected = new ArrayList<>();
        for (String name : columnsToGet) {
            Column column = columns.get(name);
            if (column != null) {
                selected.add(column);
            }
        }
        boolean asksForPrimaryKey = columnsToGet.stream().anyMatch(primaryKey::contains);
        if (selected.isEmpty() && !asksForPrimaryKey) {
            return null;
        }
        return toPlainBuffer(selected);
    }

    PlainBufferRow primaryKeyOnly() {
        return toPlainBuffer(List.of());
    }

    private PlainBufferRow toPlainBuffer(Collection<Column> selected) {
        try {
            List<PlainBufferCell> keyCells = new ArrayList<>();
            for (PrimaryKeyColumn column : primaryKey.getPrimaryKeyColumns()) {
                keyCells.add(PlainBufferConversion.toPlainBufferCell(column));
            }
            List<PlainBufferCell> cells = new ArrayList<>();
            for (Column column : selected) {
                PlainBufferCell cell = new PlainBufferCell();
                cell.setCellName(column.getName());
                cell.setCellValue(column.getValue());
                if (column.hasSetTimestamp()) {
                    cell.setCellTimestamp(column.getTimestamp());
                }
                cells.add(cell);
            }
            return new PlainBufferRow(keyCells, cells, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** PlainBuffer with header holding {@code rows}; empty bytes for no rows, as the service answers. */
    static byte[] encode(List<PlainBufferRow> rows) {
        if (rows.isEmpty()) {
            return new byte[0];
        }
        try {
            int size = PlainBufferOutputStream.LITTLE_ENDIAN_32_SIZE;
            for (PlainBufferRow row : rows) {
                size += PlainBufferBuilder.computePlainBufferRow(row);
            }
            PlainBufferOutputStream out = new PlainBufferOutputStream(size);
            PlainBufferCodedOutputStream coded = new PlainBufferCodedOutputStream(out);
            coded.writeHeader();
            for (PlainBufferRow row : rows) {
                coded.writeRow(row);
            }
            if (out.count() != size) {
                throw new IllegalStateException("PlainBuffer size mismatch: " + out.count() + " != " + size);
            }
            return out.getBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] encodePrimaryKey(PrimaryKey primaryKey) {
        try {
            return PlainBufferBuilder.buildPrimaryKeyWithHeader(primaryKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses PlainBuffer rows sent by a client; a malformed buffer is the client's fault. */
    static List<PlainBufferRow> decode(byte[] bytes) {
        try {
            return new PlainBufferCodedInputStream(new PlainBufferInputStream(bytes)).readRowsWithHeader();
        } catch (IOException | RuntimeException e) {
            throw OtsError.invalid("Invalid PlainBuffer: " + e.getMessage());
        }
    }

    static PlainBufferRow decodeSingle(byte[] bytes) {
        List<PlainBufferRow> rows = decode(bytes);
        if (rows.size() != 1) {
            throw OtsError.invalid("Expect exactly one row, got " + rows.size() + ".");
        }
        return rows.get(0);
    }

    static PrimaryKey primaryKeyOf(PlainBufferRow row) {
        try {
            return PlainBufferConversion.toPrimaryKey(row.getPrimaryKey());
        } catch (IOException | RuntimeException e) {
            throw OtsError.invalid("Invalid primary key: " + e.getMessage());
        }
    }
}
