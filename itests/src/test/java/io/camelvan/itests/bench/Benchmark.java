package io.camelvan.itests.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.qpid.protonj2.client.Client;

/**
 * The benchmark harness: runs each {@link Scenario} against the Camel VAN router (the subject) and
 * an embedded Artemis broker (the baseline), both in this JVM and both driven by the same client
 * code, then prints a table of medians and ratios and writes it as Markdown. The scenarios with
 * targets use the {@link LeanClient}; the same two with protonj2-client are kept for comparison.
 *
 * <p>For each scenario: warm-up runs against each target (discarded) until its pace (msgs/s, round
 * trips/s) settles, then {@code --runs} measured runs, interleaved router/broker with the order
 * swapped every round so that slow drift in machine load falls on both. The table shows the median
 * of the measured runs.
 *
 * <p>Why the warm-up settles rather than lasts a fixed time: the JIT compiles the router's, the
 * broker's and the client's hot paths over tens of seconds (longer on a busy machine), and a
 * target measured while still compiling looks several times slower than it is.
 *
 * <p>Run it with {@code mvn -B -pl itests -am -Pbenchmark -DskipTests verify}
 * (extra options: {@code -Dbench.args="--runs 3 --scenarios throughput"}). Options:
 * <pre>
 *   --out FILE                 Markdown results (default itests/target/benchmark-results.md)
 *   --scenarios a,b            scenario ids to run (default all: throughput, request-reply,
 *                              throughput-pj2c, request-reply-pj2c, camel-inonly, camel-inout)
 *   --runs N                   measured runs per target (default 5)
 *   --warmups N                warm-up runs per target at least (default 4)
 *   --max-warmups N            warm-up runs per target at most (default 16); warm-up stops past
 *                              --warmups once a run's pace is within 10% of the one before
 *   --size BYTES               message body size (default 1024)
 *   --window N                 throughput: unsettled sends in flight (default 1000)
 *   --credit N                 throughput: consumer credit window (default 1000)
 *   --seconds S                throughput: sending time per measured run (default 5)
 *   --warmup-seconds S         length of a warm-up run (default 5)
 *   --round-trips N            request-reply: timed round trips per run (default 20000)
 *   --warmup-round-trips N     request-reply: untimed round trips before the timed ones (default 5000)
 *   --router-threads N         the router's workerThreads (default: its own default, one per core)
 *   --link-capacity N          the router's linkCapacity (default: its own default, 250)
 *   --camel-senders N,M        camel-*: threads calling the sending route, one scenario per count
 *                              (default 4,16,64: from a load held by each path's round trip to one
 *                              held by its CPU per exchange); the target is on each path's peak
 *   --camel-consumers N        camel-*: concurrentConsumers of the consuming route (default: as many
 *                              as senders)
 *   --fail-on-miss             exit 2 when a target is not met (default: report only)
 * </pre>
 */
public final class Benchmark {

    private final Map<String, String> options;

    private Benchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
            System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        // Artemis warns once per auto-created queue that it has no dead-letter or expiry address
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.activemq.artemis.core.server",
            System.getProperty("org.slf4j.simpleLogger.log.org.apache.activemq.artemis.core.server", "error"));
        int code = new Benchmark(parse(args)).run();
        System.exit(code);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.isBlank()) {
                continue;
            }
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (options start with --)");
            }
            String key = a.substring(2);
            if (key.equals("fail-on-miss")) {
                options.put(key, "true");
            } else if (i + 1 < args.length) {
                options.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
        }
        return options;
    }

    private String opt(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    private int intOpt(String key, int fallback) {
        return Integer.parseInt(opt(key, Integer.toString(fallback)));
    }

    private double doubleOpt(String key, double fallback) {
        return Double.parseDouble(opt(key, Double.toString(fallback)));
    }

    /** Every scenario this harness knows; later ones are added here. */
    private List<Scenario> allScenarios(LeanClient lean, Client client) {
        int size = intOpt("size", 1024);
        int window = intOpt("window", 1000);
        int credit = intOpt("credit", 1000);
        double seconds = doubleOpt("seconds", 5);
        double warmUpSeconds = doubleOpt("warmup-seconds", 5);
        int roundTrips = intOpt("round-trips", 20_000);
        int warmUpRoundTrips = intOpt("warmup-round-trips", 5_000);
        List<Scenario> scenarios = new ArrayList<>(List.of(
            new LeanThroughputScenario(lean, size, window, credit, seconds, warmUpSeconds),
            new LeanRequestReplyScenario(lean, size, roundTrips, warmUpRoundTrips, warmUpSeconds),
            new ThroughputScenario(client, size, window, credit, seconds, warmUpSeconds),
            new RequestReplyScenario(client, size, roundTrips, warmUpRoundTrips, warmUpSeconds)));
        for (boolean inOut : new boolean[] {false, true}) {
            for (String senders : opt("camel-senders", "4,16,64").split(",")) {
                scenarios.add(camelScenario(inOut, Integer.parseInt(senders.trim()), size, seconds, warmUpSeconds));
            }
        }
        return scenarios;
    }

    /** @param senders threads calling the sending route; the consuming route has as many consumers unless told */
    private Scenario camelScenario(boolean inOut, int senders, int size, double seconds, double warmUpSeconds) {
        Path work = Path.of(opt("out", "itests/target/benchmark-results.md")).toAbsolutePath().getParent()
            .resolve("bench-camel");
        return new CamelRoutesScenario(inOut, size, senders, intOpt("camel-consumers", senders),
            seconds, warmUpSeconds, work);
    }

    private int run() throws Exception {
        int runs = intOpt("runs", 5);
        int warmups = intOpt("warmups", 4);
        int maxWarmups = Math.max(warmups, intOpt("max-warmups", 16));
        Path out = Path.of(opt("out", "itests/target/benchmark-results.md"));
        LeanClient lean = new LeanClient();
        Client client = Client.create();
        List<Scenario> all = allScenarios(lean, client);
        List<Scenario> scenarios = all;
        if (options.containsKey("scenarios")) {
            Set<String> wanted = Set.of(options.get("scenarios").split(","));
            scenarios = all.stream().filter(s -> wanted.contains(s.id())).collect(Collectors.toList());
            if (scenarios.isEmpty()) {
                throw new IllegalArgumentException("no scenario among " + wanted + "; known: "
                    + all.stream().map(Scenario::id).collect(Collectors.joining(", ")));
            }
        }

        String machine = machine();
        System.out.println("Camel VAN benchmark: " + machine);
        System.out.println("runs " + runs + " measured + " + warmups + " to " + maxWarmups
            + " warm-up per target and scenario; options " + options);

        ResultsTable table;
        List<String> notes = new ArrayList<>();
        String subjectDescription;
        String baselineDescription;
        boolean failures = false;
        try (Target router = RouterTarget.start(intOpt("router-threads", 0), intOpt("link-capacity", 0));
             Target broker = ArtemisTarget.start(out.toAbsolutePath().getParent().resolve("bench-artemis-data"))) {
            subjectDescription = router.description();
            baselineDescription = broker.description();
            System.out.println("subject:  " + subjectDescription + ", port " + router.port());
            System.out.println("baseline: " + baselineDescription + ", port " + broker.port());
            table = new ResultsTable(router.name(), broker.name());
            CamelPeaks camelPeaks = new CamelPeaks();
            for (Scenario scenario : scenarios) {
                System.out.println();
                System.out.println("== " + scenario.title());
                notes.add("== " + scenario.id());
                for (Target t : List.of(router, broker)) {
                    failures |= !warmUp(scenario, t, warmups, maxWarmups, notes);
                }
                Map<Target, List<Measurement>> measured = new LinkedHashMap<>();
                measured.put(router, new ArrayList<>());
                measured.put(broker, new ArrayList<>());
                for (int i = 0; i < runs; i++) {
                    List<Target> order = i % 2 == 0 ? List.of(router, broker) : List.of(broker, router);
                    for (Target t : order) {
                        Measurement m = runOnce(scenario, t, false, "run " + (i + 1), notes);
                        failures |= m == null;
                        measured.get(t).add(m);
                    }
                }
                for (Figure f : scenario.figures()) {
                    table.add(new ResultsTable.Row(scenario.title(), f, values(measured.get(router), f),
                        values(measured.get(broker), f)));
                }
                if (scenario instanceof CamelRoutesScenario camel) {
                    camelPeaks.add(camel, measured);
                }
                scenario.close();
            }
            camelPeaks.addRows(table, router, broker);
        } finally {
            scenarios.forEach(Scenario::close);
            client.close();
            lean.close();
        }

        System.out.println();
        System.out.println("Results (median of " + runs + " runs; ratio = router / broker)");
        System.out.print(table.toText());
        System.out.println(table.allGoalsMet() ? "All targets met." : "Some targets NOT met.");
        writeMarkdown(out, machine, runs, warmups + " to " + maxWarmups, scenarios, table, subjectDescription,
            baselineDescription, notes);
        System.out.println("Written " + out.toAbsolutePath());
        if (failures) {
            System.out.println("Some runs FAILED (see above); their figures are left out of the medians.");
            return 1;
        }
        return !table.allGoalsMet() && options.containsKey("fail-on-miss") ? 2 : 0;
    }

    /** Warm-up runs until the pace settles; false when one failed. */
    static boolean warmUp(Scenario scenario, Target target, int min, int max, List<String> notes) {
        double previous = Double.NaN;
        for (int w = 1; w <= max; w++) {
            Measurement m = runOnce(scenario, target, true, "warm-up " + w, notes);
            if (m == null) {
                return false;
            }
            double pace = m.get(Scenario.PACE);
            if (w >= min && Math.abs(pace - previous) <= 0.1 * previous) {
                break;
            }
            previous = pace;
        }
        return true;
    }

    static Measurement runOnce(Scenario scenario, Target target, boolean warmUp, String label,
                                       List<String> notes) {
        System.gc();
        try {
            Thread.sleep(300);
            double load = CpuMeter.loadAverage();
            Measurement m = scenario.run(target, warmUp);
            String figures = warmUp ? "pace " + Format.number(m.get(Scenario.PACE)) + "/s; " : scenario.figures().stream()
                .map(f -> f.label() + " " + Format.number(m.get(f.key())) + " " + f.unit())
                .collect(Collectors.joining(", ")) + "; ";
            String line = String.format(java.util.Locale.ROOT, "  %-10s %-6s %s%s; load avg %.2f", label,
                target.name(), figures, m.note(), load);
            System.out.println(line);
            if (!warmUp) {
                notes.add(line.trim());
            }
            return m;
        } catch (Exception e) {
            System.out.println(String.format("  %-10s %-6s FAILED: %s", label, target.name(), e));
            e.printStackTrace(System.out);
            notes.add(label + " " + target.name() + ": FAILED " + e);
            return null;
        }
    }

    private static double[] values(List<Measurement> runs, Figure figure) {
        return runs.stream().mapToDouble(m -> m == null ? Double.NaN : m.get(figure.key())).toArray();
    }

    private static String machine() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return Runtime.getRuntime().availableProcessors() + " cores, " + os.getName() + " " + os.getVersion() + " "
            + os.getArch() + ", Java " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
            + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB, JVM args "
            + ManagementFactory.getRuntimeMXBean().getInputArguments();
    }

    private static void writeMarkdown(Path out, String machine, int runs, String warmups, List<Scenario> scenarios,
                                      ResultsTable table, String subject, String baseline, List<String> notes)
        throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Camel VAN benchmark results\n\n");
        md.append("- when: ").append(OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
            .append('\n');
        md.append("- machine: ").append(machine).append('\n');
        md.append("- router: ").append(subject).append('\n');
        md.append("- broker: ").append(baseline).append('\n');
        md.append("- runs: ").append(warmups).append(" warm-up (until the pace settles) + ").append(runs)
            .append(" measured per target and scenario, interleaved router/broker; figures are medians\n\n");
        md.append("## Summary\n\n");
        md.append(table.toMarkdown()).append('\n');
        md.append(table.allGoalsMet() ? "All targets met.\n\n" : "Some targets NOT met.\n\n");
        md.append("## Scenarios\n\n");
        for (Scenario s : scenarios) {
            md.append("- **").append(s.title()).append("** (`").append(s.id()).append("`): ").append(s.method())
                .append('\n');
        }
        md.append("\n## Every measured run\n\n").append(table.runsToMarkdown()).append('\n');
        md.append("<details><summary>run log</summary>\n\n```\n");
        notes.forEach(n -> md.append(n).append('\n'));
        md.append("```\n</details>\n");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, md.toString());
    }

    @Override
    public String toString() {
        return "Benchmark" + Arrays.toString(options.entrySet().toArray());
    }
}
