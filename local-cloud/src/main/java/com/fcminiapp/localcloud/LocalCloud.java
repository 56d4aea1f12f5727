package com.fcminiapp.localcloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.alicloud.openservices.tablestore.SyncClient;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.fcminiapp.localcloud.admin.AdminDataRoutes;
import com.fcminiapp.localcloud.admin.AlipayRoutes;
import com.fcminiapp.localcloud.admin.ConsoleData;
import com.fcminiapp.localcloud.admin.DataTables;
import com.fcminiapp.localcloud.admin.Snapshots;
import com.fcminiapp.localcloud.admin.TableRoutes;
import com.fcminiapp.localcloud.admin.UsersTable;
import com.fcminiapp.localcloud.fcapi.AdminRoutes;
import com.fcminiapp.localcloud.fcapi.FcApiServer;
import com.fcminiapp.localcloud.funlocal.FunLocalFiles;
import com.fcminiapp.localcloud.fcapi.FcError;
import com.fcminiapp.localcloud.fcapi.InvokeAuthorizer;
import com.fcminiapp.localcloud.ram.PolicyEvaluator;
import com.fcminiapp.localcloud.ram.RamRoles;
import com.fcminiapp.localcloud.runtime.ExecutionRole;
import com.fcminiapp.localcloud.runtime.FunctionHost;
import com.fcminiapp.localcloud.runtime.LocalContext;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.DurableStore;
import com.fcminiapp.localcloud.standin.StandInServer;
import com.fcminiapp.localcloud.standin.alipay.AlipayStandIn;
import com.fcminiapp.localcloud.standin.alipay.RsaKeyPair;
import com.fcminiapp.localcloud.standin.oss.OssStandIn;
import com.fcminiapp.localcloud.standin.sts.StsStandIn;
import com.fcminiapp.localcloud.standin.tablestore.TablestoreStandIn;
import com.fcminiapp.localcloud.template.FunctionSpec;
import com.fcminiapp.localcloud.template.ServiceSpec;
import com.fcminiapp.localcloud.template.TemplateReader;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The whole backend offline in one process: the functions of {@code template.yml} in their own class loaders, the
 * Function Compute API and HTTP trigger on one port, and stand-ins for Alipay, STS, Tablestore and OSS, with their
 * data kept under {@code --data}. {@link #main} prints one {@code READY {json}} line when it can be used.
 */
public final class LocalCloud implements AutoCloseable {

    /** The local account every ARN, key and endpoint belongs to. */
    public static final String ACCOUNT_ID = "1234567890123456";
    public static final String REGION = "cn-hangzhou";
    /** Served when no function names an instance / a bucket (the template's names are served otherwise). */
    static final String FALLBACK_TABLESTORE_INSTANCE = "localcloud";
    static final String FALLBACK_OSS_BUCKET = "fc-miniapp-local";
    static final String DEFAULT_APP_ID = "2021000000000000";
    static final String DEFAULT_INVOKE_ROLE = "fc-miniapp-invoke";
    /**
     * Local values of template Parameters that have no Default (a deployment passes them with
     * --parameter-override); a Parameter with a Default keeps it, so local names match the template's policy ARNs.
     */
    static final Map<String, String> LOCAL_PARAMETERS = Map.of(
            "OssBucket", "fc-miniapp-files",
            "TablestoreInstance", "fcminiapp",
            "LogProjectName", "fc-miniapp-local-log",
            "AlipayAppId", DEFAULT_APP_ID);
    /** The exit status of a start on a data folder another local-cloud is using. */
    static final int ALREADY_RUNNING_EXIT = 3;
    /** Under --data: the copies of the function jars the running instances load. */
    static final String FUNCTION_BUILDS = "function-builds";
    /** The role a {@code fun local} container's key belongs to: fun hands every function one profile key. */
    static final String FUN_LOCAL_ROLE = "fc-miniapp-fun-local";

    /**
     * Overrides that only the session function, or a function whose template declares them, gets: the app key and
     * Alipay's, the gateway, STS. The cloud gives an app function none of them; here neither.
     */
    static final java.util.Set<String> SESSION_ONLY = java.util.Set.of("ALIPAY_APP_ID", "ALIPAY_PRIVATE_KEY",
            "ALIPAY_PUBLIC_KEY", "ALIPAY_GATEWAY", "ALIPAY_AES_KEY", "STS_ENDPOINT", "STS_ROLE_ARN");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROLE_NAME = Pattern.compile("acs:ram::\\d+:role/([A-Za-z0-9.@_-]{1,64})");

    private final PrintStream console;
    private MVStore store;
    private final Map<String, StandInServer> standIns = new LinkedHashMap<>();
    private final Map<String, FunctionHost> functions = new LinkedHashMap<>();
    /** Service → the role its functions run with (FC 2.0: one per service). */
    private final Map<String, ExecutionRole> executionRoles = new LinkedHashMap<>();
    private CredentialRegistry.Credential accountKey;
    private FcApiServer api;
    /** The service of the session function (its HTTP trigger) and the db function's service (READY's serviceName). */
    private ServiceSpec sessionService;
    private String dbService;
    private List<ServiceSpec> services;
    private String sessionFunction;
    private String dbFunction;
    private Path dataDir;
    /** The Tablestore instance and OSS bucket served: the template's names, else the fallbacks. */
    private String instance;
    private String bucket;
    private boolean everyInterface;
    /** What the invoke role (users' STS keys) holds. */
    private List<String> invokePolicies;
    private SyncClient tablestoreClient;
    private OSS ossClient;
    private Snapshots snapshots;
    private DataDirLock dataLock;

    private LocalCloud(PrintStream console) {
        this.console = console;
    }

    /** Held so the levels set on them stick (JUL keeps loggers weakly). */
    private static final List<java.util.logging.Logger> QUIETED = new java.util.ArrayList<>();

    public static void main(String[] args) {
        quietSdkLogs();
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LocalCloud cloud;
        try {
            cloud = start(options, jarLocation(), System.out);
        } catch (DataDirLock.AlreadyRunning e) {
            System.err.println(e.getMessage());
            System.exit(ALREADY_RUNNING_EXIT);
            return;
        } catch (Exception e) {
            System.err.println("local-cloud could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (options.exportDir() != null) {
            exportAndExit(cloud, options.exportDir());
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(cloud::close, "local-cloud-shutdown"));
        System.out.println("READY " + cloud.readyInfo());
        System.out.println(cloud.summary());
        System.out.flush();
    }

    /** {@code --export DIR}: writes the data folder's state as a seed folder and exits (0, or 1 on failure). */
    private static void exportAndExit(LocalCloud cloud, Path dir) {
        int status = 0;
        try {
            System.out.println("exported to " + cloud.export(dir));
        } catch (Exception e) {
            System.err.println("local-cloud could not export: " + e.getMessage());
            status = 1;
        } finally {
            cloud.close();
        }
        System.exit(status);
    }

    /** Puts the endpoint into the data folder's lock file, for a second start to name. */
    private void recordEndpoint() {
        try {
            dataLock.record(endpoint());
        } catch (IOException e) {
            console.println("warning: could not write " + dataDir.resolve(DataDirLock.FILE) + " ("
                    + e.getClass().getSimpleName() + "); a second start on this data folder names no URL");
        }
    }

    /** Starts everything; {@code jarLocation} (may be null) helps find {@code template.yml}. */
    public static LocalCloud start(Options options, Path jarLocation, PrintStream console) throws Exception {
        LocalCloud cloud = new LocalCloud(console);
        try {
            cloud.boot(options, options.resolveTemplate(jarLocation));
            return cloud;
        } catch (Exception | Error e) {
            cloud.close();
            throw e;
        }
    }

    private void boot(Options options, Path templatePath) throws Exception {
        if (!Files.isRegularFile(templatePath)) {
            throw new IOException("template " + templatePath.toAbsolutePath() + " not found (use --template FILE)");
        }
        TemplateReader reader = new TemplateReader(Map.of("ALIYUN::Region", REGION, "ALIYUN::AccountId", ACCOUNT_ID),
                LOCAL_PARAMETERS);
        services = reader.read(templatePath);
        if (services.isEmpty()) {
            throw new IllegalArgumentException("template " + templatePath + " has no Aliyun::Serverless::Service");
        }
        sessionService = services.stream().filter(s -> s.functions().stream().anyMatch(FunctionSpec::hasHttpTrigger))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "no function with an HTTP trigger (the session function)"));
        FunctionSpec session = sessionService.functions().stream().filter(FunctionSpec::hasHttpTrigger).findFirst()
                .orElseThrow();
        sessionFunction = session.name();
        dbFunction = Optional.ofNullable(session.environment().get("DB_FUNCTION_NAME")).filter(s -> !s.isBlank())
                .orElseGet(() -> services.stream().flatMap(s -> s.functions().stream()).map(FunctionSpec::name)
                        .filter(n -> !n.equals(sessionFunction)).findFirst().orElse(null));
        dbService = services.stream().filter(s -> s.function(dbFunction).isPresent()).map(ServiceSpec::name)
                .findFirst().orElse(sessionService.name());

        dataDir = options.data().toAbsolutePath();
        DataFolder.check(dataDir);
        dataLock = DataDirLock.acquire(dataDir);
        DataFolder.restrict(dataDir);
        Path builds = DataFolder.clearedBuilds(dataDir);
        // each stand-in commits and fsyncs its own writes before answering (DurableStore); the background
        // thread only compacts the file
        store = new MVStore.Builder().fileName(dataDir.resolve("local-cloud.mv.db").toString()).autoCommitDisabled()
                .open();
        store.setAutoCommitDelay(1000);
        CredentialRegistry registry = new CredentialRegistry(store, Clock.systemUTC());
        MVMap<String, String> settings = store.openMap("local-cloud-settings");
        accountKey = accountKey(registry, settings);
        RsaKeyPair appKeys = keyPair(settings, "alipay.app.privateKey");
        RsaKeyPair gatewayKeys = keyPair(settings, "alipay.gateway.privateKey");
        // phone numbers signed before a restart must still open after it
        String aesKey = settings.computeIfAbsent("alipay.app.aesKey", k -> AlipayStandIn.newAesKey());
        // READY prints these keys: a crash must not replace them
        new DurableStore(store).written();
        String appId = Optional.ofNullable(session.environment().get("ALIPAY_APP_ID"))
                .filter(s -> s.matches("\\d{1,32}")).orElse(DEFAULT_APP_ID);

        AlipayStandIn alipay = new AlipayStandIn(0, appId, appKeys.publicKeyX509Base64(), gatewayKeys, store)
                .useAesKey(aesKey);
        StsStandIn sts = new StsStandIn(0, registry, ACCOUNT_ID);
        instance = templateValue("TABLESTORE_INSTANCE", FALLBACK_TABLESTORE_INSTANCE);
        TablestoreStandIn tablestore = new TablestoreStandIn(0, registry, instance, store)
                .searchLag(Duration.ofMillis(options.searchLagMs()));
        reader.readTables(templatePath).stream().filter(t -> t.instance().equalsIgnoreCase(instance))
                .forEach(t -> tablestore.provisionTable(t.name(), t.primaryKey()));
        // after the tables, as ROS creates an index once its table exists; an existing one is kept
        reader.readSearchIndexes(templatePath).stream().filter(i -> i.instance().equalsIgnoreCase(instance))
                .forEach(i -> tablestore.provisionSearchIndex(i.request()));
        OssStandIn oss = new OssStandIn(0, registry, dataDir.resolve("oss"));
        bucket = templateValue("OSS_BUCKET", FALLBACK_OSS_BUCKET);
        oss.createBucket(bucket);
        standIns.put("alipay", alipay);
        standIns.put("sts", sts);
        standIns.put("tablestore", tablestore);
        standIns.put("oss", oss);
        String invokeRole = sts.roleArn(invokeRoleName(session.environment().get("STS_ROLE_ARN")));
        invokePolicies = invokePolicies(reader.readRoles(templatePath), invokeRole, session.environment());
        RamRoles roles = roles(sts, invokeRole, registry);
        for (StandInServer standIn : standIns.values()) {
            standIn.bindTo(options.host());
            standIn.start();
        }
        for (Map.Entry<String, String> fault : options.faults().entrySet()) {
            FcApiServer.applyFault(standIns, fault.getKey(), fault.getValue(), null);
        }

        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("TABLESTORE_ENDPOINT", tablestore.endpoint());
        overrides.put("OSS_ENDPOINT", oss.endpoint());
        overrides.put("OSS_PUBLIC_ENDPOINT", oss.endpoint());
        overrides.put("STS_ENDPOINT", sts.endpoint());
        overrides.put("ALIPAY_GATEWAY", alipay.gatewayUrl());
        overrides.put("ALIPAY_APP_ID", appId);
        overrides.put("ALIPAY_PRIVATE_KEY", appKeys.privateKeyPkcs8Base64());
        overrides.put("ALIPAY_PUBLIC_KEY", alipay.alipayPublicKey());
        overrides.put("ALIPAY_AES_KEY", alipay.aesKey());
        overrides.put("FC_REGION", REGION);
        overrides.put("FC_ACCOUNT_ID", ACCOUNT_ID);
        overrides.put("STS_ROLE_ARN", invokeRole);
        overrides.put("DB_SERVICE_NAME", dbService);
        Map<String, Map<String, FunctionHost>> hosts = new LinkedHashMap<>();
        Map<String, Map<String, Map<String, String>>> environments = new LinkedHashMap<>();
        for (ServiceSpec s : services) {
            Map<String, FunctionHost> serviceHosts = new LinkedHashMap<>();
            for (FunctionSpec f : s.functions()) {
                Map<String, String> env = new LinkedHashMap<>(f.environment());
                boolean isSession = s == sessionService && f.name().equals(sessionFunction);
                overrides.forEach((name, value) -> {
                    if (isSession || !SESSION_ONLY.contains(name) || f.environment().containsKey(name)) {
                        env.put(name, value);
                    }
                });
                FunctionHost host = new FunctionHost(f, env, LocalCloud.class.getClassLoader(), builds, console,
                        () -> new LocalContext(UUID.randomUUID().toString(), executionRoles.get(s.name()).current(), f,
                                s.name(), "LATEST", console));
                serviceHosts.put(f.name(), host);
                functions.put(f.name(), host);
                environments.computeIfAbsent(s.name(), k -> new LinkedHashMap<>()).put(f.name(), env);
            }
            hosts.put(s.name(), serviceHosts);
            executionRoles.put(s.name(), new ExecutionRole(registry, executionRoleArn(sts, s), "fc-execution"));
        }

        api = new FcApiServer(new InvokeAuthorizer(registry, roles, REGION, ACCOUNT_ID), hosts, executionRoles,
                standIns, console, this::readyInfo).start(options.host(), options.port(), options.adminPort())
                .callableByUsers((service, function) -> callableByUsers(function));
        everyInterface = options.host().isAnyLocalAddress();
        if (options.funLocal() != null) {
            writeFunLocal(options, registry, environments);
        }
        warmUp();
        recordEndpoint();
        snapshots = consoleData(alipay, tablestore, oss);
        // before an import or any request: put back the users an earlier import failed half way through
        String recovered = snapshots.recover();
        if (recovered != null) {
            console.println(recovered);
        }
        if (options.importDir() != null) {
            importSeed(options.importDir());
        }
    }

    /** The console's data endpoints, reading the stand-ins with the owner's key and writing through the db function. */
    private Snapshots consoleData(AlipayStandIn alipay, TablestoreStandIn tablestore, OssStandIn oss) {
        Map<String, String> dbEnv = functions.containsKey(dbFunction) ? functions.get(dbFunction).environment()
                : Map.of();
        tablestoreClient = new SyncClient(tablestore.endpoint(), accountKey.accessKeyId, accountKey.accessKeySecret,
                instance);
        ossClient = new OSSClientBuilder().build(oss.endpoint(), accountKey.accessKeyId, accountKey.accessKeySecret);
        // a JSON declaration or a legacy list of names (design §1)
        DataTables declared = DataTables.parse(dbEnv.get("DATA_TABLES"));
        ConsoleData data = new ConsoleData(tablestoreClient, ossClient, bucket,
                dbEnv.getOrDefault("SESSION_TABLE", "session"), declared,
                event -> {
                    if (dbFunction == null) {
                        throw new FcError(404, "FunctionNotFound", "The template has no db function to write rows.");
                    }
                    return api.invokeDirect(dbService, dbFunction, event);
                }, alipay, Clock.systemUTC());
        Snapshots made = new Snapshots(data, dataDir);
        // the session function's USERS_TABLE (TablestoreSettings' default when the template sets none)
        Map<String, String> sessionEnv = functions.containsKey(sessionFunction)
                ? functions.get(sessionFunction).environment() : Map.of();
        UsersTable usersTable = new UsersTable(tablestoreClient, sessionEnv.getOrDefault("USERS_TABLE",
                "miniapp_users"), uid -> data.loginName(uid), Clock.systemUTC());
        api.adminRoutes(AdminRoutes.both(new AdminDataRoutes(data, made, dataDir, usersTable, api::instances),
                AdminRoutes.both(new TableRoutes(data.tables(), tablestore), new AlipayRoutes(alipay))));
        return made;
    }

    /**
     * Imports a seed folder as {@code --import} does at start (see {@link Snapshots}): nothing is written unless the
     * whole seed passes the db function's rules, and a failure part way leaves every user as before.
     */
    public void importSeed(Path dir) throws IOException, FcError {
        int users = snapshots.importSeed(dir);
        console.println("imported " + users + " users from " + dir.toAbsolutePath());
    }

    /** Writes the current rows and files as a seed folder (see {@link Snapshots}); returns the folder. */
    public Path export(Path dir) throws IOException, FcError {
        return snapshots.export(dir);
    }

    /**
     * The files {@code fun local} runs with: every function's environment (as served here) on the host a container
     * reaches, and fun's profile holding a key of {@link #FUN_LOCAL_ROLE} — fun hands one profile key to every
     * function, so that role holds the statements of every service.
     */
    private void writeFunLocal(Options options, CredentialRegistry registry,
                               Map<String, Map<String, Map<String, String>>> environments) throws IOException {
        Map<String, Map<String, Map<String, String>>> onHost = new LinkedHashMap<>();
        environments.forEach((s, fns) -> {
            Map<String, Map<String, String>> moved = new LinkedHashMap<>();
            fns.forEach((f, env) -> {
                Map<String, String> e = new LinkedHashMap<>(FunLocalFiles.onHost(env, options.funLocalHost()));
                // FC sets these itself; fun sets them from its profile, which wins over the template
                e.remove("FC_REGION");
                e.remove("FC_ACCOUNT_ID");
                moved.put(f, e);
            });
            onHost.put(s, moved);
        });
        CredentialRegistry.Credential key = registry.issueTemporary(roleArn(FUN_LOCAL_ROLE), "fun-local", null,
                java.time.Duration.ofHours(12));
        FunLocalFiles.write(options.funLocal(), onHost, ACCOUNT_ID, REGION, key.accessKeyId, key.accessKeySecret,
                key.securityToken);
        Map<String, String> events = new LinkedHashMap<>();
        functions.keySet().forEach(f -> events.put(f, f.equals(sessionFunction) ? FunLocalFiles.SESSION_EVENT
                : f.equals(dbFunction) ? FunLocalFiles.DB_EVENT : FunLocalFiles.APP_EVENT));
        FunLocalFiles.writeEvents(options.funLocal(), events);
        console.println("fun local files written to " + options.funLocal().toAbsolutePath() + " (functions reach "
                + options.funLocalHost() + "; sample events in " + FunLocalFiles.EVENTS + "/<function>.json)");
    }

    private static String roleArn(String name) {
        return "acs:ram::" + ACCOUNT_ID + ":role/" + name;
    }

    /**
     * RAM as the deployed template leaves it: each service's role holds exactly the service's {@code Policies}, the
     * invoke role what the deploy guide grants; every stand-in and the FC API authorize with these roles.
     */
    private RamRoles roles(StsStandIn sts, String invokeRole, CredentialRegistry registry) {
        RamRoles roles = new RamRoles().put(invokeRole, invokePolicies);
        List<String> names = new java.util.ArrayList<>(List.of(invokeRole.substring(invokeRole.indexOf('/') + 1)));
        List<String> every = new java.util.ArrayList<>();
        for (ServiceSpec s : services) {
            String arn = executionRoleArn(sts, s);
            roles.put(arn, s.policies());
            every.addAll(s.policies());
            names.add(arn.substring(arn.indexOf('/') + 1));
        }
        roles.put(roleArn(FUN_LOCAL_ROLE), every);
        sts.setKnownRoles(names.toArray(new String[0]));
        for (StandInServer standIn : standIns.values()) {
            standIn.authorizeWith(roles, REGION, ACCOUNT_ID);
        }
        return roles;
    }

    /**
     * What the invoke role holds: the policies of the template's {@code ALIYUN::RAM::Role} named as STS_ROLE_ARN
     * names it (template.yml's InvokeRole), so a function the template's role leaves out is denied here as in the
     * cloud; for a template without that role, {@link #handBuiltInvokePolicy}. Every key STS issues for the role is
     * narrowed further by the session function's inline policy.
     */
    private List<String> invokePolicies(Map<String, List<String>> templateRoles, String invokeRole,
                                        Map<String, String> sessionEnv) {
        String name = invokeRole.substring(invokeRole.indexOf('/') + 1);
        return templateRoles.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst()
                .orElseGet(() -> List.of(handBuiltInvokePolicy(sessionEnv.getOrDefault("CALLABLE_FUNCTIONS", ""))));
    }

    /**
     * The invoke role of a template that creates none (test fixtures): invoke on the db function and on each
     * CALLABLE_FUNCTIONS entry ({@code service/function} or {@code function}), FC 2.0's form with a service and
     * FC 3.0's; nothing else.
     */
    private String handBuiltInvokePolicy(String callableFunctions) {
        List<String> resources = new java.util.ArrayList<>(invokeResources(dbService, dbFunction));
        for (String entry : callableFunctions.split(",")) {
            String[] parts = entry.trim().split("/", -1);
            if (parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
                resources.addAll(invokeResources(parts[0], parts[1]));
            } else if (parts.length == 1 && !parts[0].isEmpty()) {
                resources.addAll(invokeResources(null, parts[0]));
            }
        }
        ObjectNode statement = JSON.createObjectNode().put("Effect", "Allow").put("Action", "fc:InvokeFunction");
        resources.stream().distinct().forEach(statement.putArray("Resource")::add);
        ObjectNode policy = JSON.createObjectNode().put("Version", "1");
        policy.putArray("Statement").add(statement);
        return policy.toString();
    }

    private static List<String> invokeResources(String service, String function) {
        String fc = "acs:fc:" + REGION + ":" + ACCOUNT_ID + ":";
        return service == null ? List.of(fc + "functions/" + function)
                : List.of(fc + "services/" + service + "/functions/" + function, fc + "functions/" + function);
    }

    /** The role Funcraft's transform creates for a service without {@code Role}: one per service and region. */
    private static String executionRoleArn(StsStandIn sts, ServiceSpec service) {
        return sts.roleArn("aliyunfcgeneratedrole-" + REGION + "-" + service.name());
    }

    /** The first non-blank value the template's functions give {@code variable}, else {@code fallback}. */
    private String templateValue(String variable, String fallback) {
        return services.stream().flatMap(s -> s.functions().stream()).map(f -> f.environment().get(variable))
                .filter(v -> v != null && !v.isBlank()).findFirst().orElse(fallback);
    }

    /** Runs each function's initializer now, so the first request is warm; a failure is retried on first use. */
    private void warmUp() {
        for (FunctionHost host : functions.values()) {
            if (!host.codeAvailable()) {
                console.println("warning: function " + host.spec().name() + " has no code at " + host.spec().codeUri()
                        + "; build it (./mvnw package) and restart");
                continue;
            }
            String requestId = UUID.randomUUID().toString();
            String serviceName = serviceOf(host.spec().name());
            try {
                host.initialize(new LocalContext(requestId, executionRoles.get(serviceName).current(), host.spec(),
                        serviceName, "LATEST", console));
            } catch (Exception e) {
                console.println("warning: initializer of " + host.spec().name() + " failed (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); it runs again on the first call");
            }
        }
    }

    private static RsaKeyPair keyPair(MVMap<String, String> settings, String name) {
        String stored = settings.get(name);
        if (stored != null) {
            return RsaKeyPair.fromPrivateKeyPkcs8Base64(stored);
        }
        RsaKeyPair generated = RsaKeyPair.generate();
        settings.put(name, generated.privateKeyPkcs8Base64());
        return generated;
    }

    private static String invokeRoleName(String templateArn) {
        if (templateArn != null) {
            java.util.regex.Matcher m = ROLE_NAME.matcher(templateArn.trim());
            if (m.matches()) {
                return m.group(1);
            }
        }
        return DEFAULT_INVOKE_ROLE;
    }

    private String serviceOf(String function) {
        return services.stream().filter(s -> s.function(function).isPresent()).map(ServiceSpec::name).findFirst()
                .orElseThrow();
    }

    public int port() {
        return api.port();
    }

    public String endpoint() {
        return api.endpoint();
    }

    /** The session function's HTTP trigger URL. */
    public String sessionUrl() {
        return endpoint() + "/2016-08-15/proxy/" + sessionService.name() + "/" + sessionFunction + "/";
    }

    public Map<String, StandInServer> standIns() {
        return standIns;
    }

    /** What READY prints: where everything is and how a client is configured. */
    public ObjectNode readyInfo() {
        ObjectNode info = JSON.createObjectNode();
        info.put("endpoint", endpoint());
        info.put("accountId", ACCOUNT_ID);
        info.put("region", REGION);
        // the client invokes the db function with serviceName; it reaches the session only through sessionUrl
        info.put("serviceName", dbService);
        info.put("sessionFunctionName", sessionFunction);
        info.put("sessionServiceName", sessionService.name());
        info.put("dbFunctionName", dbFunction);
        info.put("sessionUrl", sessionUrl());
        info.put("fc3InvokeUrl", endpoint() + "/2023-03-30/functions/" + dbFunction + "/invocations");
        // the console's and admin API's own origin, never the FC endpoint's
        info.put("adminUrl", adminUrl());
        // what every /_admin/* path needs in X-Local-Cloud-Token; no HTTP answer carries it
        info.put("adminToken", api.adminToken());
        info.put("consoleUrl", consoleUrl());
        info.put("dataDir", dataDir.toString());
        info.put("tablestoreInstance", instance);
        info.put("ossBucket", bucket);
        // the local account owner's key (no inline policy): invoke any function directly, as `fun invoke` would
        info.put("accessKeyId", accountKey.accessKeyId);
        info.put("accessKeySecret", accountKey.accessKeySecret);
        ObjectNode stand = info.putObject("standIns");
        standIns.forEach((name, s) -> stand.put(name, s.endpoint()));
        // every served function; services: each one's FC 2.0 service (what createClient's services takes)
        ArrayNode names = info.putArray("functions");
        ObjectNode serviceOf = info.putObject("services");
        ObjectNode status = info.putObject("functionStatus");
        functions.forEach((name, host) -> {
            names.add(name);
            serviceOf.put(name, serviceOf(name));
            status.put(name, host.codeAvailable() ? "ready" : "missing code");
        });
        return info;
    }

    /** The served functions other than the session and the db function, in the template's order. */
    public List<String> appFunctions() {
        return functions.keySet().stream().filter(f -> !f.equals(sessionFunction) && !f.equals(dbFunction))
                .collect(java.util.stream.Collectors.toList());
    }

    /**
     * Whether a login's key may invoke {@code function} under its service: the invoke role allows it and the session
     * function's CALLABLE_FUNCTIONS (its inline policy) names it.
     */
    boolean callableByUsers(String function) {
        String arn = "acs:fc:" + REGION + ":" + ACCOUNT_ID + ":services/" + serviceOf(function) + "/functions/"
                + function;
        String callables = functions.get(sessionFunction).environment().getOrDefault("CALLABLE_FUNCTIONS", "");
        return PolicyEvaluator.allowsAll(invokePolicies, InvokeAuthorizer.INVOKE_ACTION, arn)
                && PolicyEvaluator.allows(handBuiltInvokePolicy(callables), InvokeAuthorizer.INVOKE_ACTION, arn);
    }

    /** The local account's permanent AccessKey, made once and kept under --data. */
    private static CredentialRegistry.Credential accountKey(CredentialRegistry registry, MVMap<String, String> settings) {
        String id = settings.get("account.accessKeyId");
        Optional<CredentialRegistry.Credential> known = Optional.ofNullable(id).flatMap(registry::find);
        if (known.isPresent()) {
            return known.get();
        }
        CredentialRegistry.Credential created = registry.createPermanent("LTAIlocal");
        settings.put("account.accessKeyId", created.accessKeyId);
        return created;
    }

    /**
     * The console page with the admin token in the fragment, which a browser never sends to a server or a log; the
     * page keeps it in its tab's session storage and drops it from the address bar.
     */
    public String consoleUrl() {
        return adminUrl() + "/_console/#token=" + api.adminToken();
    }

    /** The origin of the console and the admin API ({@code http://127.0.0.1:9001}): their own port, loopback only. */
    public String adminUrl() {
        return api.adminEndpoint();
    }

    /** The human summary printed after READY; the admin token only inside the console URL. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append("local-cloud is serving services ").append(services.stream().map(s -> "'" + s.name() + "'")
                .collect(java.util.stream.Collectors.joining(", "))).append(" on ").append(endpoint()).append('\n');
        if (everyInterface) {
            sb.append("  reachable on every interface; use this machine's address (not 127.0.0.1) on a phone or"
                    + " simulator\n");
        }
        sb.append("  session (HTTP trigger): POST ").append(sessionUrl()).append('\n');
        sb.append("  db function: fc2 invokeFunction('").append(dbService).append("', '").append(dbFunction)
                .append("', event)\n");
        appFunctions().forEach(app -> sb.append(appFunctionLine(app)));
        sb.append("  data: ").append(dataDir).append('\n');
        sb.append("Console (open in a browser on this machine): ").append(consoleUrl()).append('\n');
        sb.append("  admin API: ").append(adminUrl()).append("/_admin/... (this machine only, header X-Local-Cloud-Token:"
                + " READY's adminToken)\n");
        sb.append("Client config:\n").append(clientConfig());
        sb.append("Log in with any authCode 'name:anything' (user 'name'; each code works once).\n");
        sb.append("Faults (from this machine): POST ").append(adminUrl())
                .append("/_admin/faults {\"service\":\"tablestore\",\"mode\":\"fail|stall|none\"}")
                .append(" with Content-Type: application/json and X-Local-Cloud-Token: <READY's adminToken>");
        return sb.toString();
    }

    /** The summary's line for an app function: its service, how a client calls it, whether users' keys may. */
    private String appFunctionLine(String app) {
        return "  app function '" + app + "' (service '" + serviceOf(app) + "'): client.call('" + app + "', input),"
                + " i.e. fc2 invokeFunction('" + serviceOf(app) + "', '" + app + "', '{\"sid\":…,\"input\":…}'); "
                + (callableByUsers(app) ? "users' keys may call it\n"
                        : "users' keys may NOT call it (add it to CALLABLE_FUNCTIONS and the InvokeRole)\n");
    }

    /** createClient's settings to paste, with {@code services} when the template has app functions. */
    private String clientConfig() {
        StringBuilder sb = new StringBuilder();
        sb.append("  { endpoint: '").append(endpoint()).append("', accountId: '").append(ACCOUNT_ID)
                .append("', region: '").append(REGION).append("',\n    serviceName: '").append(dbService)
                .append("', sessionUrl: '").append(sessionUrl()).append("', dbFunctionName: '").append(dbFunction)
                .append("'");
        if (!appFunctions().isEmpty()) {
            sb.append(",\n    services: { ").append(appFunctions().stream()
                    .map(f -> "'" + f + "': '" + serviceOf(f) + "'").collect(java.util.stream.Collectors.joining(", ")))
                    .append(" }");
        }
        return sb.append(" }\n").toString();
    }

    @Override
    public synchronized void close() {
        if (api != null) {
            api.close();
        }
        if (tablestoreClient != null) {
            tablestoreClient.shutdown();
        }
        if (ossClient != null) {
            ossClient.shutdown();
        }
        for (FunctionHost host : functions.values()) {
            try {
                host.close();
            } catch (IOException ignored) {
                // the process is ending
            }
        }
        for (StandInServer s : standIns.values()) {
            s.close();
        }
        if (store != null && !store.isClosed()) {
            executionRoles.values().forEach(ExecutionRole::retire);
        }
        if (store != null && !store.isClosed()) {
            store.close();
        }
        if (dataLock != null) {
            try {
                dataLock.close();
            } catch (IOException ignored) {
                // the OS releases the lock when the process ends
            }
            dataLock = null;
        }
    }

    /**
     * The Alipay SDK logs each failed call with its full request (auth code and signature) through
     * java.util.logging; a function's own log lines say what failed without them.
     */
    static void quietSdkLogs() {
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        for (String name : List.of("sdk.biz.err", "sdk.comm.err", "sdk.biz.info")) {
            java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
            logger.setLevel(java.util.logging.Level.OFF);
            QUIETED.add(logger);
        }
    }

    private static Path jarLocation() {
        try {
            return Path.of(LocalCloud.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** Used by tests: sets a fault as the admin endpoint would. */
    void fault(String service, String mode) throws FcError {
        FcApiServer.applyFault(standIns, service, mode, null);
    }
}
