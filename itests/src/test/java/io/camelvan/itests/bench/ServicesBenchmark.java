package io.camelvan.itests.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

import io.camelvan.itests.LinkedSiteProcesses;

/**
 * The services benchmark: the same real programs run directly and through two router processes
 * linked with mutual TLS (tcpListener / httpListener on west, tcpConnector / httpConnector on
 * east), on loopback: iperf3 with one and four streams (bulk throughput), a client that opens a
 * TCP connection, exchanges one byte and closes, over and over (new flows per second), and wrk
 * with keep-alive connections against the JDK's HTTP server (requests per second). Every run also
 * reads the routers' CPU time. See docs/benchmarks.md.
 *
 * <p>Run it with {@code mvn -B -pl itests -am -Pbenchmark -DskipTests verify
 * -Dbench.main=io.camelvan.itests.bench.ServicesBenchmark}. Options ({@code -Dbench.args="..."}):
 * <pre>
 *   --seconds S          length of each measured run (default 10)
 *   --warmup-seconds S   traffic through the routers before the first measured run of each kind (default 20)
 *   --runs N             measured runs of each kind, direct and through the VAN alternately (default 2)
 *   --router-threads N   the routers' workerThreads (default 0: one per core)
 *   --flow-clients N     threads of the flow-setup client (default 16)
 *   --http-connections N wrk's keep-alive connections (default 32)
 *   --parts LIST         which measurements, of iperf, flows, http (default all three)
 *   --out FILE           Markdown results (default itests/target/services-benchmark.md)
 * </pre>
 */
public final class ServicesBenchmark {

    private static final Pattern IPERF_BPS = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)");
    private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s*([0-9.]+)");

    private final Map<String, String> options;
    private final Path work;
    private final List<String> rows = new ArrayList<>();
    private final StringBuilder log = new StringBuilder();

    private ServicesBenchmark(Map<String, String> options, Path work) {
        this.options = options;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "' (options start with --)");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        Path work = Files.createTempDirectory("van-services-bench");
        new ServicesBenchmark(options, work).run();
        System.exit(0);
    }

    private int intOption(String name, int fallback) {
        return Integer.parseInt(options.getOrDefault(name, Integer.toString(fallback)));
    }

    private void run() throws Exception {
        int seconds = intOption("seconds", 10);
        int warmup = intOption("warmup-seconds", 20);
        int runs = intOption("runs", 2);
        List<String> parts = List.of(options.getOrDefault("parts", "iperf,flows,http").split(","));
        parts.stream().filter(p -> !List.of("iperf", "flows", "http").contains(p)).findFirst().ifPresent(p -> {
            throw new IllegalArgumentException("--parts: unknown part '" + p + "' (iperf, flows, http)");
        });
        int iperfPort = LinkedSiteProcesses.freePort();
        Process iperfServer = new ProcessBuilder("iperf3", "--server", "--port", Integer.toString(iperfPort))
            .redirectErrorStream(true).redirectOutput(work.resolve("iperf3-server.log").toFile()).start();
        // the JDK's server waits for delayed ACKs between a response's head and body unless told not to
        System.setProperty("sun.net.httpserver.nodelay", "true");
        ExecutorService httpThreads = Executors.newFixedThreadPool(4);
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
        http.createContext("/", e -> {
            e.getRequestBody().readAllBytes();
            e.sendResponseHeaders(200, hello.length);
            try (OutputStream out = e.getResponseBody()) {
                out.write(hello);
            }
        });
        http.setExecutor(httpThreads);
        http.start();
        int iperfListener = LinkedSiteProcesses.freePort();
        int flowListener = LinkedSiteProcesses.freePort();
        int httpListener = LinkedSiteProcesses.freePort();
        try (FlowEchoServer echo = new FlowEchoServer();
                LinkedSiteProcesses sites = LinkedSiteProcesses.create(work.resolve("sites"), intOption("router-threads", 0))
                    .with("west", "tcpListeners:\n"
                        + "  - {name: iperf, routingKey: iperf, port: " + iperfListener + "}\n"
                        + "  - {name: flows, routingKey: flows, port: " + flowListener + "}\n"
                        + "httpListeners: [{name: web, routingKey: web, port: " + httpListener + "}]")
                    .with("east", "tcpConnectors:\n"
                        + "  - {name: iperf, routingKey: iperf, port: " + iperfPort + "}\n"
                        + "  - {name: flows, routingKey: flows, port: " + echo.port() + "}\n"
                        + "httpConnectors: [{name: web, routingKey: web, port: " + http.getAddress().getPort() + "}]")
                    .start()) {
            sites.awaitLog("west", "routing key 'web' is reachable", Duration.ofSeconds(120));
            sites.awaitLog("west", "routing key 'flows' is reachable", Duration.ofSeconds(30));
            sites.awaitLog("west", "routing key 'iperf' is reachable", Duration.ofSeconds(30));
            note("machine: " + Runtime.getRuntime().availableProcessors() + " cores, load average " + loadAverage()
                + ", routers' workerThreads " + options.getOrDefault("router-threads", "default"));

            if (parts.contains("iperf")) {
                for (int streams : new int[] {1, 4}) {
                    iperf(iperfListener, streams, warmup, false);
                    compare("iperf3, " + streams + " stream" + (streams > 1 ? "s" : "") + " (Gbit/s)", runs, sites,
                        van -> iperf(van ? iperfListener : iperfPort, streams, seconds, true), "GB", 25, "≥ 25% of direct");
                }
            }
            if (parts.contains("flows")) {
                flows(flowListener, warmup);
                compare("new TCP flows, connect + 1 byte each way + close (flows/s)", runs, sites,
                    van -> flows(van ? flowListener : echo.port(), seconds), "1000 flows", -5000, "≥ 5,000/s through the VAN");
            }
            if (parts.contains("http")) {
                wrk(httpListener, warmup);
                compare("HTTP/1.1 keep-alive, wrk (requests/s)", runs, sites,
                    van -> wrk(van ? httpListener : http.getAddress().getPort(), seconds), "1000 requests", 50, "≥ 50% of direct");
            }
        } finally {
            http.stop(0);
            httpThreads.shutdownNow();
            iperfServer.destroy();
        }
        write();
    }

    /** One kind of measurement: a figure and the units of work it moved (for CPU per unit). */
    private record Sample(double figure, double units) {
    }

    @FunctionalInterface
    private interface Measure {
        Sample run(boolean throughVan) throws Exception;
    }

    /**
     * Alternates direct and VAN runs (order swapped each round) and adds a row with the medians.
     *
     * @param target a percentage of direct the VAN must reach, or minus an absolute VAN figure
     */
    private void compare(String name, int runs, LinkedSiteProcesses sites, Measure measure, String unit, double target,
            String targetText) throws Exception {
        List<Double> direct = new ArrayList<>();
        List<Double> van = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            for (boolean throughVan : i % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                double before = ProcessCpu.seconds(sites.pids());
                Sample s = measure.run(throughVan);
                double used = ProcessCpu.seconds(sites.pids()) - before;
                (throughVan ? van : direct).add(s.figure());
                if (throughVan) {
                    cpu.add(used / s.units());
                }
                note(String.format(Locale.ROOT, "%s, %s: %.3f (routers' CPU %.2f s, load %s)", name,
                    throughVan ? "VAN" : "direct", s.figure(), used, loadAverage()));
            }
        }
        double d = median(direct);
        double v = median(van);
        double ratio = 100 * v / d;
        boolean met = target > 0 ? ratio >= target : v >= -target;
        rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %.0f%% | %.2f s per %s | %s | %s |", name, format(d), format(v),
            ratio, median(cpu), unit, targetText, met ? "yes" : "**no**"));
        System.out.println(rows.get(rows.size() - 1));
    }

    private Sample iperf(int port, int streams, int seconds, boolean measured) throws Exception {
        // the server takes one test at a time and learns that the last one ended only once the end of
        // its connections has crossed the routers, which may come after the client has gone: try again
        for (int attempt = 1;; attempt++) {
            try {
                return iperfOnce(port, streams, seconds);
            } catch (IperfServerBusy e) {
                if (attempt == 10) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    /** iperf3's server was still running the previous test. */
    private static final class IperfServerBusy extends IllegalStateException {
        IperfServerBusy(String json) {
            super("iperf3's server stayed busy: " + json);
        }
    }

    private Sample iperfOnce(int port, int streams, int seconds) throws Exception {
        Path out = work.resolve("iperf3-client.json");
        Process client = new ProcessBuilder("iperf3", "--client", "127.0.0.1", "--port", Integer.toString(port),
            "--time", Integer.toString(seconds), "--parallel", Integer.toString(streams), "--json")
            .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!client.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new IllegalStateException("iperf3 did not finish");
        }
        String json = Files.readString(out);
        Matcher m = IPERF_BPS.matcher(json);
        if (!m.find()) {
            if (json.contains("the server is busy")) {
                throw new IperfServerBusy(json);
            }
            throw new IllegalStateException("iperf3 gave no result: " + json);
        }
        double bps = Double.parseDouble(m.group(1));
        return new Sample(bps / 1e9, bps * seconds / 8 / 1e9);
    }

    private Sample flows(int port, int seconds) throws Exception {
        FlowClient.Result r = FlowClient.run(port, intOption("flow-clients", 16), seconds);
        if (r.failures() > 0) {
            note("  " + r.failures() + " flows failed");
        }
        return new Sample(r.perSecond(), r.flows() / 1000.0);
    }

    private Sample wrk(int port, int seconds) throws Exception {
        Path out = work.resolve("wrk.txt");
        Process wrk = new ProcessBuilder("wrk", "--threads", "2", "--connections", Integer.toString(intOption("http-connections", 32)),
            "--duration", seconds + "s", "http://127.0.0.1:" + port + "/")
            .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!wrk.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            wrk.destroyForcibly();
            throw new IllegalStateException("wrk did not finish");
        }
        String text = Files.readString(out);
        Matcher m = WRK_RATE.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("wrk gave no result: " + text);
        }
        if (text.contains("Non-2xx") || text.contains("Socket errors")) {
            note("  wrk: " + text.lines().filter(l -> l.contains("Non-2xx") || l.contains("Socket errors")).toList());
        }
        double rate = Double.parseDouble(m.group(1));
        return new Sample(rate, rate * seconds / 1000);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String format(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private void note(String line) {
        System.out.println(line);
        log.append("    ").append(line).append('\n');
    }

    private void write() throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Services benchmark, ").append(OffsetDateTime.now(ZoneOffset.UTC).withNano(0)).append("\n\n");
        md.append("Medians of ").append(intOption("runs", 2)).append(" measured runs of ").append(intOption("seconds", 10))
            .append(" s each, after ").append(intOption("warmup-seconds", 20)).append(" s of warm-up through the VAN.\n\n");
        md.append("| measurement | direct | through the VAN | VAN / direct | routers' CPU (both) | target | met |\n");
        md.append("|---|---:|---:|---:|---:|---|---|\n");
        rows.forEach(r -> md.append(r).append('\n'));
        md.append("\nRun log:\n\n").append(log);
        Path out = Path.of(options.getOrDefault("out", "target/services-benchmark.md"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
        System.out.println(md);
    }
}
