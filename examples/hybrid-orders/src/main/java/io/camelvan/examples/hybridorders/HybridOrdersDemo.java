package io.camelvan.examples.hybridorders;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The hybrid-orders demo: three sites on this machine, each a JVM of its own running a Camel application with an
 * embedded router, made and linked with the {@code van-router} CLI (init, token issue, token redeem) over mutual TLS.
 *
 * <ul>
 *   <li><b>on-prem</b>: the legacy inventory (a line protocol on TCP routing key {@code inventory-legacy}) and the
 *       HTTP API in front of it ({@code van:http:inventory}); it dials out to both clouds and accepts no link.</li>
 *   <li><b>cloud-a</b>: the web front, an {@code httpListener} on a local port whose {@code POST /orders} go to
 *       {@code van:orders}; also a {@code tcpListener} for the legacy inventory.</li>
 *   <li><b>cloud-b</b>: the order service: {@code van:orders}, a reservation at the on-prem API, and
 *       {@code events.order-confirmed} (multicast) that on-prem and cloud-a log.</li>
 * </ul>
 *
 * It sends the orders, waits for every confirmation to be logged on both other sites, prints what crossed each link
 * (the routers' counters), and exits 0; 1 when something did not happen, 2 on bad usage.
 */
public final class HybridOrdersDemo {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration NETWORK_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration EVENTS_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> ADDRESSES = List.of(CloudARoutes.SHOP_KEY, CloudBRoutes.ORDERS,
        OnPremRoutes.API_KEY, OnPremRoutes.LEGACY_KEY, SiteRoutes.ORDER_CONFIRMED);

    private final DemoOptions options;
    private final PrintStream out;
    private final List<SiteProcess> running = new ArrayList<>();
    private Path workDir;

    HybridOrdersDemo(DemoOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        // the van-router commands run in this JVM: their AMQP client's notices would clutter the demo's output
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        HybridOrdersDemo demo = new HybridOrdersDemo(options, System.out);
        // also on Ctrl-C: stop the three sites and delete the temporary folder
        Runtime.getRuntime().addShutdownHook(new Thread(demo::cleanUp, "hybrid-orders-cleanup"));
        System.exit(demo.run());
    }

    int run() {
        try {
            workDir = workDir();
            Site onPrem = Site.withFreePorts("on-prem", workDir);
            Site cloudA = Site.withFreePorts("cloud-a", workDir);
            Site cloudB = Site.withFreePorts("cloud-b", workDir);
            List<Site> sites = List.of(onPrem, cloudA, cloudB);
            int webPort = options.webPort() > 0 ? options.webPort() : Site.freePort();
            int legacyPort = Site.freePort();
            VanCommands van = new VanCommands(workDir, out);

            step("1. Three sites, each with its own certificate authority (in " + workDir + ")");
            for (Site site : sites) {
                van.run("init", "--site", site.name(), "--dir", site.dir().toString(),
                    "--link-access", "127.0.0.1:" + site.peerPort(),
                    "--amqp-port", Integer.toString(site.amqpPort()), "--admin-port", Integer.toString(site.adminPort()));
            }

            step("2. What each site adds to its site.yaml");
            for (Site site : sites) {
                String services = site == cloudA
                    ? "httpListeners: [{name: shop, routingKey: " + CloudARoutes.SHOP_KEY + ", host: 127.0.0.1, port: "
                        + webPort + "}]    # the web front\n"
                        + "tcpListeners: [{name: legacy, routingKey: " + OnPremRoutes.LEGACY_KEY
                        + ", host: 127.0.0.1, port: " + legacyPort + "}]    # the on-prem inventory, as if local\n"
                    : "";
                addToConfig(site, "addresses: [{prefix: events., distribution: multicast}]\n" + services);
            }

            step("3. Start cloud-a and cloud-b: each a JVM running Camel routes and an embedded router");
            SiteProcess cloudAProcess = start(cloudA);
            SiteProcess cloudBProcess = start(cloudB);
            cloudAProcess.awaitLine(SiteApp.READY, START_TIMEOUT);
            cloudBProcess.awaitLine(SiteApp.READY, START_TIMEOUT);

            step("4. Link the sites with tokens: cloud-b -> cloud-a, and on-prem -> both clouds (on-prem dials out only)");
            linkWithToken(van, cloudB, cloudA);
            linkWithToken(van, onPrem, cloudA);
            linkWithToken(van, onPrem, cloudB);

            step("5. Start on-prem");
            SiteProcess onPremProcess = start(onPrem);
            onPremProcess.awaitLine(SiteApp.READY, START_TIMEOUT);

            step("6. Wait for the network: every router reaches the two others; every service has a consumer");
            awaitNetwork(onPrem, cloudA, cloudB);

            NetworkTraffic before = NetworkTraffic.snapshot(sites, ADDRESSES);
            step("7. " + options.orders() + " orders through the web front on cloud-a");
            WebShopClient shop = new WebShopClient(webPort, out);
            for (int n = 0; n < options.orders(); n++) {
                shop.send(WebShopClient.order(n));
            }

            step("8. Every confirmation is logged on on-prem and cloud-a (multicast: one copy per site)");
            onPremProcess.awaitLines(SiteRoutes.EVENT_LINE, shop.confirmed(), EVENTS_TIMEOUT);
            cloudAProcess.awaitLines(SiteRoutes.EVENT_LINE, shop.confirmed(), EVENTS_TIMEOUT);
            out.println("  order-confirmed events logged: on-prem " + onPremProcess.count(SiteRoutes.EVENT_LINE)
                + ", cloud-a " + cloudAProcess.count(SiteRoutes.EVENT_LINE) + ", cloud-b "
                + cloudBProcess.count(SiteRoutes.EVENT_LINE));

            step("9. The legacy inventory from cloud-a, through its tcpListener (a TCP flow carried to on-prem)");
            askLegacy(legacyPort, "STOCK widget");

            step("10. What crossed which link (each router's van_link_deliveries_total and van_link_bytes_total)");
            NetworkTraffic.snapshot(sites, ADDRESSES).printSince(before, out);
            out.println();
            out.println("  cloud-a -> cloud-b: the orders; back: their outcomes, and the events (cloud-a's copy)");
            out.println("  cloud-b -> on-prem: the reservations (HTTP requests as messages) and the events; back: the responses");
            out.println("  cloud-a -> on-prem and back: the STOCK query (one TCP flow: a streaming delivery each way)");

            step("11. The network as cloud-b sees it");
            van.run("status", "--network", "--config", cloudB.config().toString());

            out.println();
            out.println("hybrid-orders: " + options.orders() + " orders sent at cloud-a: " + shop.confirmed()
                + " confirmed and " + shop.rejected() + " rejected by cloud-b against the on-prem inventory; "
                + "order-confirmed events logged at on-prem " + onPremProcess.count(SiteRoutes.EVENT_LINE)
                + " and at cloud-a " + cloudAProcess.count(SiteRoutes.EVENT_LINE) + ".");
            if (options.keepRunning()) {
                keepRunning(webPort, legacyPort, cloudB);
            }
            return 0;
        } catch (DemoFailure e) {
            out.println();
            out.println("hybrid-orders FAILED: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            out.println();
            out.println("hybrid-orders FAILED: " + e);
            return 1;
        }
    }

    private Path workDir() throws IOException {
        if (options.dir() == null) {
            return Files.createTempDirectory("hybrid-orders-").toAbsolutePath();
        }
        Path dir = Files.createDirectories(options.dir()).toAbsolutePath();
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new DemoFailure("--dir " + dir + " is not empty");
            }
        }
        return dir;
    }

    /**
     * {@code to} issues a token, {@code from} redeems it: {@code from} gets a client certificate of {@code to}'s CA
     * and a link to it in its site file, which its router (if running) dials within a second.
     */
    private void linkWithToken(VanCommands van, Site from, Site to) {
        String token = workDir.resolve(from.name() + "-to-" + to.name() + ".token").toString();
        van.run("token", "issue", "--config", to.config().toString(), "--expiry", "10m", token);
        van.run("token", "redeem", "--config", from.config().toString(), token);
    }

    private void step(String title) {
        out.println();
        out.println("== " + title);
    }

    private synchronized SiteProcess start(Site site) {
        out.println("$ java -cp hybrid-orders.jar " + SiteApp.class.getName() + " " + site.name() + " "
            + workDir.relativize(site.config()));
        SiteProcess process = SiteProcess.start(site, out);
        running.add(process);
        return process;
    }

    /**
     * Appends to a site's file what init does not write. The inter-router listener moves to loopback: this demo's
     * sites are all on this machine, and nothing else needs to reach them.
     */
    private void addToConfig(Site site, String yaml) throws IOException {
        String config = Files.readString(site.config())
            .replace("{name: peers, host: 0.0.0.0,", "{name: peers, host: 127.0.0.1,");
        Files.writeString(site.config(), config + yaml);
        out.println(workDir.relativize(site.config()) + ":");
        yaml.lines().forEach(line -> out.println("  " + line));
    }

    private void awaitNetwork(Site onPrem, Site cloudA, Site cloudB) {
        long start = System.nanoTime();
        List<Site> sites = List.of(onPrem, cloudA, cloudB);
        await("every router to reach the two others", () -> sites.stream()
            .allMatch(s -> RouterMetrics.read(s.adminPort()).value("van_routers_reachable") == 2));
        await("cloud-a to see a consumer of '" + CloudBRoutes.ORDERS + "' and of '" + OnPremRoutes.LEGACY_KEY + "'",
            () -> consumers(cloudA, CloudBRoutes.ORDERS) >= 1 && consumers(cloudA, OnPremRoutes.LEGACY_KEY) >= 1);
        await("cloud-b to see a consumer of '" + OnPremRoutes.API_KEY + "'",
            () -> consumers(cloudB, OnPremRoutes.API_KEY) >= 1);
        await("cloud-b to see the consumers of '" + SiteRoutes.ORDER_CONFIRMED + "' on on-prem and cloud-a",
            () -> consumers(cloudB, SiteRoutes.ORDER_CONFIRMED) == 2);
        out.printf("  ready after %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Consumers of the address as the site's router counts them: its own clients, plus one per router with some. */
    private static long consumers(Site site, String address) {
        return RouterMetrics.read(site.adminPort()).value("van_address_consumers", "address", address);
    }

    /** Polls (every 200 ms) until the condition holds; a demo step, not a test, so a plain poll is enough. */
    private void await(String what, BooleanSupplier condition) {
        out.println("  waiting for " + what);
        long deadline = System.nanoTime() + NETWORK_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new DemoFailure("no " + what + " within " + NETWORK_TIMEOUT.toSeconds() + " s");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DemoFailure("interrupted");
            }
        }
    }

    /** One request line to the legacy service through cloud-a's tcpListener, as {@code nc} would send it. */
    private void askLegacy(int port, String request) {
        out.println("$ echo '" + request + "' | nc 127.0.0.1 " + port);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            Writer writer = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
            writer.write(request + "\n");
            writer.flush();
            String answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
            if (answer == null) {
                throw new DemoFailure("the legacy inventory closed the connection without an answer");
            }
            out.println("  " + answer);
        } catch (IOException e) {
            throw new DemoFailure("the legacy inventory through 127.0.0.1:" + port + " failed: " + e);
        }
    }

    private void keepRunning(int webPort, int legacyPort, Site cloudB) {
        out.println();
        out.println("The three sites keep running (Ctrl-C stops them and deletes their folders). Try:");
        out.println("  curl -s -d '{\"item\":\"widget\",\"quantity\":1}' http://127.0.0.1:" + webPort + "/orders");
        out.println("  echo 'STOCK widget' | nc 127.0.0.1 " + legacyPort);
        out.println("  java -jar van-router/target/van-router.jar status --network --config " + cloudB.config());
        out.println("  the network console of cloud-b: http://127.0.0.1:" + cloudB.adminPort() + "/");
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the sites (the last started first) and deletes the temporary folder; safe to call twice. */
    synchronized void cleanUp() {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.remove(i).close();
        }
        if (workDir != null && options.dir() == null) {
            try (Stream<Path> files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            workDir = null;
        }
    }
}
