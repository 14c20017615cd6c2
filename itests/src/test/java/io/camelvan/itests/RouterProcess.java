package io.camelvan.itests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;

/**
 * A {@code van-router run} in a process of its own, for integration tests.
 *
 * <p>The router is started from the shaded jar (system property {@code van.router.jar}) with the
 * {@code java} of the running JVM. Its stdout and stderr go to {@code target/router-logs/NAME.log}.
 * Ports are whatever the router bound: the config may say {@code port: 0} and the bound ports are
 * read back from the router's log lines ({@code listener 'amqp' (normal) on 127.0.0.1:41234},
 * {@code admin HTTP on http://127.0.0.1:40321/}). {@link #start} returns once {@code /healthz}
 * answers 200 and every listener accepts TCP; if the router does not come up it throws with the
 * tail of its log.
 *
 * <p>Always close it (try-with-resources or {@code @AfterAll}); a JVM shutdown hook also kills
 * any router a crashed test left behind.
 */
public final class RouterProcess implements AutoCloseable {

    private static final Pattern LISTENER_LINE =
        Pattern.compile("listener '([^']+)' \\(([^)]+)\\) on (\\S+):(\\d+)");
    private static final Pattern UP_LINE = Pattern.compile("router of site '[^']*' is up \\(");
    private static final Pattern ADMIN_LINE = Pattern.compile("admin HTTP on http://(\\S+):(\\d+)/");
    private static final Pattern METRIC_LINE =
        Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?$");
    /** A unified-logging GC line: {@code [1.2s][info][gc] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 30M->8M(64M) 2.3ms}. */
    private static final Pattern GC_LINE =
        Pattern.compile("\\[gc\\s*] GC\\(\\d+\\) Pause .*? (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
            "router-process-reaper"));
    }

    private final String name;
    private final Path configDir;
    private final Path logFile;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, Integer> listenerPorts = new LinkedHashMap<>();
    private final Map<String, String> listenerHosts = new LinkedHashMap<>();
    /** Where to connect for a socket bound to a wildcard address (loopback unless the router runs in a network namespace). */
    private final String wildcardHost;
    /** The bearer token of the admin port, or null when it has none. */
    private final String adminToken;
    private String adminHost;
    private int adminPort;

    private RouterProcess(String name, Path configDir, Path logFile, Process process, String wildcardHost,
            String adminToken) {
        this.name = name;
        this.wildcardHost = wildcardHost;
        this.adminToken = adminToken;
        this.configDir = configDir;
        this.logFile = logFile;
        this.process = process;
    }

    /** A site config with one normal listener {@code amqp} and the admin port, both on free loopback ports. */
    public static String minimalConfig(String site) {
        return "site: " + site + "\n"
            + "listeners:\n"
            + "  - {name: amqp, host: 127.0.0.1, port: 0}\n"
            + "addresses:\n"
            + "  - {prefix: events., distribution: multicast}\n"
            + "admin: {host: 127.0.0.1, port: 0}\n";
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Starts a router named {@code name} (the log file name) with {@link #minimalConfig} for site {@code name}. */
    public static RouterProcess start(String name, String... jvmArgs) {
        return builder(name).config(minimalConfig(name)).jvmArgs(jvmArgs).start();
    }

    public static final class Builder {
        private final String name;
        private String yaml;
        private Path configFile;
        private final List<String> jvmArgs = new ArrayList<>();
        private Duration startTimeout = Duration.ofSeconds(60);
        private final List<String> commandPrefix = new ArrayList<>();
        private String wildcardHost = "127.0.0.1";
        private String adminToken;

        private Builder(String name) {
            if (!name.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("a router process name is used as a file name: " + name);
            }
            this.name = name;
        }

        /** The site config as YAML text; written to {@code site.yaml} in a temporary directory. */
        public Builder config(String yaml) {
            this.yaml = yaml;
            this.configFile = null;
            return this;
        }

        /** An existing config file, used as it is (relative paths in it resolve beside it). */
        public Builder configFile(Path file) {
            this.configFile = file;
            this.yaml = null;
            return this;
        }

        public Builder jvmArgs(String... args) {
            jvmArgs.addAll(Arrays.asList(args));
            return this;
        }

        /**
         * Runs the router inside a network namespace ({@code ip netns exec NS}, which execs java, so
         * the process id is the router's): its wildcard-bound listeners are reached at {@code host},
         * an address of the namespace the test can route to.
         */
        public Builder inNetworkNamespace(String namespace, String host) {
            commandPrefix.clear();
            commandPrefix.addAll(List.of("ip", "netns", "exec", namespace));
            this.wildcardHost = host;
            return this;
        }

        /** The admin port's bearer token (the config's {@code admin.token}), sent with every admin request. */
        public Builder adminToken(String token) {
            this.adminToken = token;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public RouterProcess start() {
            try {
                return doStart();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start router '" + name + "'", e);
            }
        }

        private RouterProcess doStart() throws IOException {
            Path dir = null;
            Path config = configFile;
            if (config == null) {
                dir = Files.createTempDirectory("van-router-" + name + "-");
                config = dir.resolve("site.yaml");
                Files.writeString(config, Objects.requireNonNull(yaml, "config(yaml) or configFile(path) is required"));
            }
            Path logs = logDirectory();
            Files.createDirectories(logs);
            Path log = logs.resolve(name + ".log");

            List<String> command = new ArrayList<>(commandPrefix);
            command.add(javaExecutable());
            command.addAll(jvmArgs);
            command.addAll(extraJvmArgs());
            command.addAll(List.of("-jar", routerJar().toString(), "run", "--config", config.toString()));
            Files.writeString(log, "# " + String.join(" ", command) + System.lineSeparator());
            Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
            LIVE.add(process);
            RouterProcess router = new RouterProcess(name, dir, log, process, wildcardHost, adminToken);
            try {
                router.awaitUp(startTimeout);
            } catch (RuntimeException | Error e) {
                router.kill9();
                router.deleteConfigDir();
                throw new IllegalStateException("router '" + name + "' did not start (" + describe(e) + "); its log "
                    + log + " ends with:\n" + router.logTail(40), e);
            }
            return router;
        }

        private static String describe(Throwable e) {
            return e instanceof ConditionTimeoutException ? "not up in time" : e.getMessage();
        }
    }

    private void awaitUp(Duration timeout) {
        await("router '" + name + "' up")
            .atMost(timeout)
            .pollDelay(Duration.ofMillis(50))
            .pollInterval(Duration.ofMillis(100))
            .until(this::isUp);
    }

    /** One poll of the start-up condition; throws (ending the wait at once) if the process died. */
    private boolean isUp() throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException("the router process exited with code " + process.exitValue());
        }
        if (adminPort == 0) {
            // the router logs each bound listener, then the admin port, then "... is up (": read them all at once
            String log = logText();
            if (!UP_LINE.matcher(log).find()) {
                return false;
            }
            parsePorts(log);
            if (adminPort == 0 || listenerPorts.isEmpty()) {
                throw new IllegalStateException("the router is up but logged no admin port or no listener:"
                    + " the config needs an 'admin:' entry and at least one listener");
            }
        }
        try {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(adminUri("/healthz"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            if (health.statusCode() != 200) {
                return false;
            }
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        for (Map.Entry<String, Integer> listener : listenerPorts.entrySet()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(connectHost(listenerHosts.get(listener.getKey())),
                    listener.getValue()), 1000);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private void parsePorts(String log) {
        Matcher listener = LISTENER_LINE.matcher(log);
        while (listener.find()) {
            listenerPorts.put(listener.group(1), Integer.parseInt(listener.group(4)));
            listenerHosts.put(listener.group(1), listener.group(3));
        }
        Matcher admin = ADMIN_LINE.matcher(log);
        if (admin.find()) {
            adminHost = admin.group(1);
            adminPort = Integer.parseInt(admin.group(2));
        }
    }

    public String name() {
        return name;
    }

    /** The port of the listener named {@code amqp}, or of the only listener. */
    public int amqpPort() {
        Integer port = listenerPorts.get("amqp");
        if (port == null && listenerPorts.size() == 1) {
            port = listenerPorts.values().iterator().next();
        }
        if (port == null) {
            throw new IllegalStateException("router '" + name + "' has no listener 'amqp': " + listenerPorts.keySet());
        }
        return port;
    }

    public int amqpPort(String listener) {
        Integer port = listenerPorts.get(listener);
        if (port == null) {
            throw new IllegalStateException("router '" + name + "' has no listener '" + listener + "': "
                + listenerPorts.keySet());
        }
        return port;
    }

    /** The host to connect to for the listener named {@code amqp} (or the only one). */
    public String amqpHost() {
        String host = listenerHosts.get("amqp");
        return connectHost(host != null || listenerHosts.size() != 1 ? host : listenerHosts.values().iterator().next());
    }

    public String amqpUrl() {
        return "amqp://" + amqpHost() + ":" + amqpPort();
    }

    public int adminPort() {
        return adminPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** {@code GET /metrics}: the Prometheus text. */
    public String metrics() {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(adminUri("/metrics")).timeout(Duration.ofSeconds(5));
            if (adminToken != null) {
                request.header("Authorization", "Bearer " + adminToken);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /metrics of router '" + name + "' answered "
                    + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET /metrics of router '" + name + "' failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The value of the first sample of {@code metric} whose labels include the given ones
     * ({@code "address", "orders"} pairs), from a fresh {@code GET /metrics}; empty if there is none.
     */
    public OptionalLong metric(String metric, String... labelPairs) {
        return parseMetric(metrics(), metric, labelPairs);
    }

    /** Like {@link #metric(String, String...)}, but throws when the sample is missing. */
    public long metricValue(String metric, String... labelPairs) {
        return metric(metric, labelPairs).orElseThrow(() -> new IllegalStateException(
            "router '" + name + "' has no sample " + metric + Arrays.toString(labelPairs)));
    }

    /** Reads one sample out of Prometheus text (see {@link #metric(String, String...)}). */
    public static OptionalLong parseMetric(String prometheusText, String metric, String... labelPairs) {
        if (labelPairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        for (String line : prometheusText.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = METRIC_LINE.matcher(line.trim());
            if (!m.matches() || !m.group(1).equals(metric)) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
                }
            }
            boolean all = true;
            for (int i = 0; i < labelPairs.length; i += 2) {
                all &= labelPairs[i + 1].equals(labels.get(labelPairs[i]));
            }
            if (all) {
                return OptionalLong.of((long) Double.parseDouble(m.group(3)));
            }
        }
        return OptionalLong.empty();
    }

    /** Resident set size now, from {@code /proc/PID/status} (Linux only). */
    public long rssBytes() {
        return procStatusBytes("VmRSS");
    }

    /** File descriptors the router holds open now (sockets among them), from {@code /proc/PID/fd} (Linux only). */
    public int openFiles() {
        try (Stream<Path> fds = Files.list(Paths.get("/proc", Long.toString(pid()), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the open files of router '" + name + "'", e);
        }
    }

    /** Peak resident set size so far ({@code VmHWM}, the high water mark). */
    public long peakRssBytes() {
        return procStatusBytes("VmHWM");
    }

    private long procStatusBytes(String field) {
        Path status = Paths.get("/proc", Long.toString(pid()), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith(field + ":")) {
                    String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
                    long value = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value;
                }
            }
            throw new IllegalStateException(status + " has no " + field);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + status + " (is router '" + name + "' alive?)", e);
        }
    }

    /**
     * The largest heap occupancy right after a garbage collection (the live set plus what the
     * collector kept), read from the router's log; empty unless the router runs with {@code -Xlog:gc}.
     * Unlike {@code van_jvm_heap_used_bytes} it does not count garbage not yet collected.
     */
    public OptionalLong maxHeapAfterGcBytes() {
        Matcher gc = GC_LINE.matcher(logText());
        long max = -1;
        while (gc.find()) {
            max = Math.max(max, bytes(gc.group(3), gc.group(4)));
        }
        return max < 0 ? OptionalLong.empty() : OptionalLong.of(max);
    }

    private static long bytes(String amount, String unit) {
        long n = Long.parseLong(amount);
        return switch (unit) {
            case "G" -> n << 30;
            case "M" -> n << 20;
            case "K" -> n << 10;
            default -> n;
        };
    }

    /** SIGTERM, then waits for the router to exit; returns its exit code. Kills it if it does not stop in time. */
    public int stop() {
        return stop(Duration.ofSeconds(15));
    }

    public int stop(Duration timeout) {
        if (process.isAlive()) {
            process.destroy();   // SIGTERM: the router's shutdown hook closes it in order
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill9();
                    throw new IllegalStateException("router '" + name + "' did not stop within " + timeout
                        + " of SIGTERM; killed it. Log tail:\n" + logTail(20));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill9();
            }
        }
        LIVE.remove(process);
        return process.exitValue();
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill9() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(process);
    }

    /** Stops the router if it still runs and removes its temporary config directory. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                stop();
            }
        } finally {
            LIVE.remove(process);
            deleteConfigDir();
        }
    }

    public String logText() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }

    /** The last {@code lines} lines of the router's log. */
    public String logTail(int lines) {
        List<String> all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public String toString() {
        return "router '" + name + "' (pid " + pid() + ", amqp " + listenerPorts + ", admin " + adminPort + ")";
    }

    private URI adminUri(String path) {
        return URI.create("http://" + connectHost(adminHost) + ":" + adminPort + path);
    }

    /** Where to connect to reach a socket bound to {@code host}: {@link #wildcardHost} for the wildcard addresses. */
    private String connectHost(String host) {
        return host == null || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? wildcardHost : host;
    }

    private void deleteConfigDir() {
        if (configDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(configDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }

    static Path logDirectory() {
        String dir = System.getProperty("van.router.logs");
        return dir != null ? Paths.get(dir) : Paths.get("target", "router-logs").toAbsolutePath();
    }

    /** JVM options for every router process, from {@code -Dvan.router.jvmArgs} (e.g. a profiler when measuring). */
    static List<String> extraJvmArgs() {
        String args = System.getProperty("van.router.jvmArgs", "").strip();
        return args.isEmpty() ? List.of() : Arrays.asList(args.split("\\s+"));
    }

    static Path routerJar() {
        String jar = System.getProperty("van.router.jar");
        Path path = jar != null ? Paths.get(jar) : Paths.get("..", "van-router", "target", "van-router.jar");
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("no router jar at " + path.toAbsolutePath()
                + ": build it first (mvn package -DskipTests -pl van-router) or set -Dvan.router.jar");
        }
        return path.toAbsolutePath().normalize();
    }

    static String javaExecutable() {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(java)) {
            return java.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }
}
