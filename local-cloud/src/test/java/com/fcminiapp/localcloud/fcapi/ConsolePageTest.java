package com.fcminiapp.localcloud.fcapi;

import com.fcminiapp.localcloud.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's static files: served on the admin origin only (the FC endpoint answers FC's 404), without a token
 * (they hold no data) but only to local requests, with their content types and a policy that runs no other script
 * and forbids framing.
 */
class ConsolePageTest {

    /** Every test hook of the shared interface, which the browser tests and the lead's tests look for. */
    private static final List<String> TEST_IDS = List.of("nav-users", "nav-data", "nav-files", "nav-log",
            "nav-faults", "nav-functions", "user-row", "table-select", "user-filter", "data-row", "page-next",
            "page-prev", "row-json", "row-save", "row-delete", "row-error", "file-row", "file-download",
            "file-delete", "log-row", "log-lines", "fault-select", "function-row", "export-button", "export-result",
            "nav-tables", "tables-source", "table-row", "table-mode", "table-rules", "table-indexes",
            "table-search-index", "lag-ms", "lag-set", "query-table", "query-user", "query-limit", "query-where",
            "query-order", "query-run", "query-next", "query-count", "query-error", "query-rows");

    @RegisterExtension
    static final ApiFixture api = new ApiFixture();

    private static RawHttp.Response get(String path, String host) throws IOException {
        Map<String, String> headers = new HashMap<>();
        headers.put("Host", host);
        return api.adminRequest("GET", path, headers, "");
    }

    @ParameterizedTest
    @CsvSource({
            "/_console/, text/html; charset=utf-8, <title>local-cloud console</title>",
            "/_console/app.js, text/javascript; charset=utf-8, X-Local-Cloud-Token",
            "/_console/app.css, text/css; charset=utf-8, font"})
    void eachFileIsServedWithoutATokenWithItsContentType(String path, String type, String content) throws Exception {
        RawHttp.Response r = get(path, api.adminHost());
        assertThat(r.status).isEqualTo(200);
        assertThat(r.headers.get("content-type")).isEqualTo(type);
        assertThat(r.body).contains(content);
        assertThat(r.headers.get("content-security-policy")).isEqualTo(ConsolePage.SECURITY_POLICY)
                .contains("script-src 'self'").contains("frame-ancestors 'none'").doesNotContain("unsafe");
        assertThat(r.headers.get("x-content-type-options")).isEqualTo("nosniff");
        assertThat(r.headers.get("x-frame-options")).isEqualTo("DENY");
        assertThat(r.headers.get("referrer-policy")).isEqualTo("no-referrer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example:9000", "192.168.1.20:PORT", "localhost.evil.example", "0.0.0.0:PORT"})
    void theFilesAreRefusedToARequestAddressedToAnotherHost(String host) throws Exception {
        for (String path : new String[] {"/_console/", "/_console/app.js", "/_console"}) {
            RawHttp.Response r = get(path, host.replace("PORT", "" + api.server.adminPort()));
            assertThat(r.status).as(path).isEqualTo(403);
            assertThat(r.body).contains("\"ErrorCode\":\"AccessDenied\"").doesNotContain("<html");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/_console/", "/_console/app.js", "/_console", "/"})
    void theFcEndpointServesNoConsoleFileButFcsPathNotFound(String path) throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("Host", api.loopbackHost());
        RawHttp.Response r = api.request("GET", path, headers, "");
        assertThat(r.status).isEqualTo(404);
        assertThat(r.body).contains("\"ErrorCode\":\"PathNotFound\"").doesNotContain("<html");
    }

    @Test
    void theAdminOriginsRootRedirectsToTheConsole() throws Exception {
        RawHttp.Response r = get("/", api.adminHost());
        assertThat(r.status).isEqualTo(302);
        assertThat(r.headers.get("location")).isEqualTo("/_console/");
    }

    @Test
    void theBarePathRedirectsToTheFolderSoTheFragmentAndRelativeUrlsWork() throws Exception {
        RawHttp.Response r = get("/_console", api.adminHost());
        assertThat(r.status).isEqualTo(302);
        assertThat(r.headers.get("location")).isEqualTo("/_console/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/_console/index.html", "/_console/../_admin/info", "/_console/app.js/", "/_consolex"})
    void anyOtherPathIsNotFound(String path) throws Exception {
        RawHttp.Response r = get(path, api.adminHost());
        assertThat(r.status).isEqualTo(404);
        assertThat(r.body).contains("PathNotFound").doesNotContain(ApiFixture.OWNER_SECRET_MARK);
    }

    @Test
    void onlyGetIsAllowed() throws Exception {
        Map<String, String> headers = new HashMap<>();
        headers.put("Host", api.adminHost());
        assertThat(api.adminRequest("POST", "/_console/", headers, "x").status).isEqualTo(405);
        assertThat(api.adminRequest("DELETE", "/_console/app.js", headers, "").status).isEqualTo(405);
    }

    @Test
    void thePageHasEveryTestHookAndSetsNoDataAsHtml() throws Exception {
        String page = get("/_console/", api.adminHost()).body + get("/_console/app.js", api.adminHost()).body;
        for (String id : TEST_IDS) {
            assertThat(page).as(id).containsPattern("data-testid=\"" + id + "\"|'data-testid': '" + id + "'");
        }
        String script = get("/_console/app.js", api.adminHost()).body;
        assertThat(script).doesNotContain("innerHTML").doesNotContain("outerHTML").doesNotContain("insertAdjacentHTML")
                .doesNotContain("eval(").doesNotContain("document.write");
        assertThat(get("/_console/", api.adminHost()).body).doesNotContain("<script>").doesNotContain("onclick=");
    }
}
