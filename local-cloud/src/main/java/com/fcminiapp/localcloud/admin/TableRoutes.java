package com.fcminiapp.localcloud.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.localcloud.fcapi.AdminGuard;
import com.fcminiapp.localcloud.fcapi.AdminRoutes;
import com.fcminiapp.localcloud.fcapi.FcError;
import com.fcminiapp.localcloud.standin.tablestore.TablestoreStandIn;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's table endpoints under {@code /_admin/}: {@code GET /_admin/data-tables} (each declared table's
 * mode, rules, indexes and search index), {@code POST /_admin/data-tables/<table>/query} (a query as a chosen
 * user) and {@code GET|POST /_admin/search-lag} ({@code {"ms": N}}: how far the search indexes trail the tables).
 */
public final class TableRoutes implements AdminRoutes {

    private static final Pattern QUERY = Pattern.compile("/_admin/data-tables/([^/]+)/query");
    private static final long MAX_LAG_MS = TablestoreStandIn.MAX_SEARCH_LAG.toMillis();

    private final ConsoleTables tables;
    private final TablestoreStandIn tablestore;

    public TableRoutes(ConsoleTables tables, TablestoreStandIn tablestore) {
        this.tables = tables;
        this.tablestore = tablestore;
    }

    @Override
    public boolean handles(String path) {
        return path.equals("/_admin/data-tables") || path.equals("/_admin/search-lag") || QUERY.matcher(path).matches();
    }

    @Override
    public void serve(HttpExchange exchange, String requestId, String path, AdminGuard guard)
            throws IOException, FcError {
        String method = exchange.getRequestMethod();
        Matcher m;
        if (path.equals("/_admin/data-tables")) {
            AdminDataRoutes.allow(method, "GET");
            AdminDataRoutes.answer(exchange, requestId, tables.describe());
        } else if ((m = QUERY.matcher(path)).matches()) {
            AdminDataRoutes.allow(method, "POST");
            guard.checkWrite(exchange);
            AdminDataRoutes.answer(exchange, requestId,
                    tables.query(AdminDataRoutes.segment(m, 1), AdminDataRoutes.body(exchange, true)));
        } else {
            searchLag(exchange, requestId, guard);
        }
    }

    private void searchLag(HttpExchange exchange, String requestId, AdminGuard guard) throws IOException, FcError {
        if ("POST".equals(exchange.getRequestMethod())) {
            guard.checkWrite(exchange);
            JsonNode ms = AdminDataRoutes.body(exchange, true).get("ms");
            if (ms == null || !ms.canConvertToLong() || !ms.isIntegralNumber() || ms.asLong() < 0
                    || ms.asLong() > MAX_LAG_MS) {
                throw ConsoleData.invalid("Send {\"ms\": N}, N a whole number of milliseconds from 0 to "
                        + MAX_LAG_MS + ".");
            }
            tablestore.searchLag(Duration.ofMillis(ms.asLong()));
        } else {
            AdminDataRoutes.allow(exchange.getRequestMethod(), "GET");
        }
        AdminDataRoutes.answer(exchange, requestId,
                AdminDataRoutes.object().put("ms", tablestore.searchLag().toMillis()));
    }
}
