package com.fcminiapp.localcloud;

import com.fcminiapp.localcloud.fcapi.HostNames;
import com.fcminiapp.localcloud.standin.tablestore.TablestoreStandIn;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line: {@code [--host ADDR] [--port N] [--admin-port N] [--data DIR] [--template FILE]
 * [--fault service=mode]… [--fun-local DIR [--fun-local-host ADDR]] [--import DIR] [--export DIR]
 * [--search-lag-ms N]}.
 */
public final class Options {

    public static final int DEFAULT_PORT = 9000;
    public static final String USAGE = "usage: java -jar local-cloud.jar [--host ADDR] [--port N] [--admin-port N]"
            + " [--data DIR]"
            + " [--template FILE] [--fault alipay|sts|tablestore|oss=fail|stall|none]..."
            + " [--fun-local DIR [--fun-local-host ADDR]] [--import DIR] [--export DIR] [--search-lag-ms N]";
    /** How far Tablestore's search indexes trail the tables by default (the cloud's is up to a few seconds). */
    public static final long DEFAULT_SEARCH_LAG_MS = TablestoreStandIn.DEFAULT_SEARCH_LAG.toMillis();
    /** The largest {@code --search-lag-ms}: an hour. */
    public static final long MAX_SEARCH_LAG_MS = TablestoreStandIn.MAX_SEARCH_LAG.toMillis();
    /** Docker's default bridge gateway on Linux: the address a container reaches the host on. */
    public static final String DEFAULT_FUN_LOCAL_HOST = "172.17.0.1";

    private static final String HOST_RULE = "--host needs an IP address of this machine (127.0.0.1, 0.0.0.0 for every"
            + " interface, 192.168.1.20, ::1) or localhost";

    private InetAddress host = InetAddress.getLoopbackAddress();
    private int port = DEFAULT_PORT;
    /** The console's and admin API's port as given, or null: derived from {@link #port}. */
    private Integer adminPort;
    private Path data = Path.of(".local-cloud");
    private Path template;
    private final Map<String, String> faults = new LinkedHashMap<>();
    private Path funLocal;
    private String funLocalHost = DEFAULT_FUN_LOCAL_HOST;
    private Path importDir;
    private Path exportDir;
    private long searchLagMs = DEFAULT_SEARCH_LAG_MS;

    /** The address every server binds (default 127.0.0.1; a wildcard means every interface). */
    public InetAddress host() { return host; }
    public int port() { return port; }

    /**
     * The port of the console and the admin API, their own origin (never the FC endpoint's): {@code --admin-port}
     * as given, else the FC port + 1 (9001 by default), else with {@code --port 0} any free port (0).
     */
    public int adminPort() {
        if (adminPort != null) {
            return adminPort;
        }
        return port == 0 ? 0 : port + 1;
    }
    public Path data() { return data; }
    /** The template given, or null to look for {@code template.yml}. */
    public Path template() { return template; }
    /** {@code service → mode} from {@code --fault}. */
    public Map<String, String> faults() { return faults; }
    /** Where to write the files {@code fun local} runs with, or null. */
    public Path funLocal() { return funLocal; }
    /** The host a {@code fun local} container reaches local-cloud on (the functions' endpoints name it). */
    public String funLocalHost() { return funLocalHost; }

    /** A seed folder to import at start (replacing the rows and files of the users it names), or null. */
    public Path importDir() { return importDir; }
    /** Export the data folder's state to this folder and exit, or null to serve. */
    public Path exportDir() { return exportDir; }
    /** How long after a write Tablestore's search indexes see it, in ms ({@code --search-lag-ms}; default 1000). */
    public long searchLagMs() { return searchLagMs; }

    public static Options parse(String... args) {
        Options o = new Options();
        List<String> list = new ArrayList<>(List.of(args));
        boolean portGiven = false;
        for (int i = 0; i < list.size(); i++) {
            String arg = list.get(i);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--host":
                    o.host = parseHost(value != null ? value : next(list, ++i, name));
                    break;
                case "--port":
                    portGiven = true;
                    o.port = parsePort(name, value != null ? value : next(list, ++i, name));
                    break;
                case "--admin-port":
                    o.adminPort = parsePort(name, value != null ? value : next(list, ++i, name));
                    break;
                case "--data":
                    o.data = Path.of(value != null ? value : next(list, ++i, name));
                    break;
                case "--template":
                    o.template = Path.of(value != null ? value : next(list, ++i, name));
                    break;
                case "--fault": {
                    String spec = value != null ? value : next(list, ++i, name);
                    int sep = spec.indexOf('=');
                    if (sep <= 0) {
                        throw new IllegalArgumentException("--fault needs service=mode, e.g. --fault tablestore=fail");
                    }
                    o.faults.put(spec.substring(0, sep), spec.substring(sep + 1));
                    break;
                }
                case "--fun-local":
                    o.funLocal = Path.of(value != null ? value : next(list, ++i, name));
                    break;
                case "--fun-local-host":
                    o.funLocalHost = value != null ? value : next(list, ++i, name);
                    if (!o.funLocalHost.matches("[A-Za-z0-9.-]{1,253}|\\[[0-9A-Fa-f:.]+]")) {
                        throw new IllegalArgumentException("--fun-local-host needs a host name or address, e.g. "
                                + DEFAULT_FUN_LOCAL_HOST + " or host.docker.internal");
                    }
                    break;
                case "--import":
                    o.importDir = Path.of(value != null ? value : next(list, ++i, name));
                    break;
                case "--export":
                    o.exportDir = Path.of(value != null ? value : next(list, ++i, name));
                    break;
                case "--search-lag-ms":
                    o.searchLagMs = parseLag(value != null ? value : next(list, ++i, name));
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument " + arg + "\n" + USAGE);
            }
        }
        if (o.exportDir != null && !portGiven) {
            // an export serves nothing: any free port, rather than 9000 which a running local-cloud may hold
            o.port = 0;
        }
        o.checkAdminPort();
        return o;
    }

    private static int parsePort(String name, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(name + " needs a number from 0 to 65535");
    }

    private static long parseLag(String value) {
        if (value.matches("\\d{1,7}")) {
            long lag = Long.parseLong(value);
            if (lag <= MAX_SEARCH_LAG_MS) {
                return lag;
            }
        }
        throw new IllegalArgumentException("--search-lag-ms needs a whole number of milliseconds from 0 to "
                + MAX_SEARCH_LAG_MS);
    }

    /** The console's port must be another port than the FC endpoint's: they are separate origins. */
    private void checkAdminPort() {
        if (adminPort == null && port == 65535) {
            throw new IllegalArgumentException("--port 65535 leaves no port above it for the console and admin API;"
                    + " give --admin-port N (0 for any free port)");
        }
        if (adminPort != null && adminPort != 0 && adminPort == port) {
            throw new IllegalArgumentException("--admin-port must differ from --port: the console and the admin API"
                    + " have their own origin, never the FC endpoint's");
        }
    }

    /** The template to read: the one given, else {@code template.yml} here, else at the repository root above the jar. */
    public Path resolveTemplate(Path jarLocation) {
        if (template != null) {
            return template;
        }
        Path here = Path.of("template.yml");
        if (Files.isRegularFile(here) || jarLocation == null) {
            return here;
        }
        // local-cloud/target/local-cloud.jar → the repository root holds template.yml
        Path root = jarLocation.toAbsolutePath().getParent();
        for (int i = 0; i < 2 && root != null; i++) {
            root = root.getParent();
        }
        Path candidate = root == null ? null : root.resolve("template.yml");
        return candidate != null && Files.isRegularFile(candidate) ? candidate : here;
    }

    /**
     * A literal IPv4 or IPv6 address (brackets allowed) or {@code localhost} (127.0.0.1); a name is refused rather
     * than looked up, so what is bound is exactly what was typed.
     */
    static InetAddress parseHost(String value) {
        String text = value.trim();
        if (text.equalsIgnoreCase("localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        return HostNames.literal(text)
                .orElseThrow(() -> new IllegalArgumentException(HOST_RULE + ", not '" + value + "'"));
    }

    private static String next(List<String> list, int i, String name) {
        if (i >= list.size()) {
            throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
        }
        return list.get(i);
    }
}
