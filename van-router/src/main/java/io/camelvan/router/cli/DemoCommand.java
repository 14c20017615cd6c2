package io.camelvan.router.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.Delivery;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.Sender;
import org.apache.qpid.protonj2.client.Tracker;

import io.camelvan.router.Router;
import io.camelvan.router.config.ConfigLoader;
import io.camelvan.router.core.Address;
import io.camelvan.router.pki.LinkCredentials;
import io.camelvan.router.pki.PemFiles;
import io.camelvan.router.pki.SitePki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code van-router demo}: two sites in this process, each with its own CA, linked by mutual TLS
 * the way {@code token redeem} links them, and messages crossing between them. Nothing to set up.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start two linked sites (west, east) in this process and show messages crossing between them.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--messages", defaultValue = "5", description = "Orders to send from west to east (default ${DEFAULT-VALUE}).")
    int messages;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("van-demo");
        out.println("Camel VAN demo: two sites, each with its own certificate authority, in " + dir);
        SitePki westPki = SitePki.init(dir.resolve("west"), "west", "west", List.of("localhost", "127.0.0.1"));
        SitePki eastPki = SitePki.init(dir.resolve("east"), "east", "east", List.of("localhost", "127.0.0.1"));
        try (Router east = Router.start(ConfigLoader.parse(site("east", "") + """
                listeners:
                  - {name: amqp, host: 127.0.0.1, port: 0}
                  - {name: peers, host: 127.0.0.1, port: 0, role: inter-router, tls: site}
                """, dir.resolve("east/site.yaml")))) {
            // east's CA issues west's client certificate: what 'token redeem' fetches over TLS
            LinkCredentials credentials = LinkCredentials.issue(eastPki.ca(), "west", "127.0.0.1", east.port("peers"), 1,
                Duration.ofDays(1)).withName("east");
            PemFiles files = credentials.writePemFiles(dir.resolve("west/certs"));
            out.println("east issued west a client certificate (serial " + credentials.certificate().getSerialNumber()
                .toString(16) + "); west dials east over mutual TLS");
            String westTls = "  link-east: {cert: " + rel(dir, files.cert()) + ", key: " + rel(dir, files.key())
                + ", ca: " + rel(dir, files.ca()) + "}\n";
            try (Router west = Router.start(ConfigLoader.parse(site("west", westTls) + """
                    listeners:
                      - {name: amqp, host: 127.0.0.1, port: 0}
                    links:
                      - {name: east, host: 127.0.0.1, port: %d, tls: link-east}
                    """.formatted(east.port("peers")), dir.resolve("west/site.yaml")));
                 Client client = Client.create()) {
                exchange(out, client, west, east);
            }
        }
        out.println("done: both routers stopped. Next: docs/getting-started.md links two sites with 'van-router init'"
            + " and 'van-router token'.");
        return 0;
    }

    private void exchange(PrintWriter out, Client client, Router west, Router east) throws Exception {
        try (Connection atEast = client.connect("127.0.0.1", east.port("amqp"));
             Connection atWest = client.connect("127.0.0.1", west.port("amqp"))) {
            Receiver orders = atEast.openReceiver("orders");
            orders.openFuture().get(10, TimeUnit.SECONDS);
            long start = System.nanoTime();
            while (!reachable(west, "orders")) {
                if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(20)) {
                    throw new IllegalStateException("west never learned of east's consumer");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            out.printf("west and east are linked; west routes 'orders' to east (%d ms)%n",
                (System.nanoTime() - start) / 1_000_000);
            Sender sender = atWest.openSender("orders");
            for (int i = 1; i <= messages; i++) {
                Tracker tracker = sender.send(Message.create("order-" + i));
                Delivery d = orders.receive(10, TimeUnit.SECONDS);
                tracker.awaitSettlement(10, TimeUnit.SECONDS);
                out.printf("  west -> east  %-10s outcome back at west: %s%n", d.message().body(),
                    tracker.remoteState().getType());
            }
            Receiver requests = atEast.openReceiver("prices");
            requests.openFuture().get(10, TimeUnit.SECONDS);
            Sender replies = atEast.openAnonymousSender();
            Receiver replyTo = atWest.openDynamicReceiver();
            Sender asks = atWest.openSender("prices");
            long t0 = System.nanoTime();
            asks.send(Message.create("price of tea?").replyTo(replyTo.address()));
            Delivery request = requests.receive(10, TimeUnit.SECONDS);
            replies.send(Message.create("tea: 3.20").to(request.message().replyTo()));
            Delivery reply = replyTo.receive(10, TimeUnit.SECONDS);
            out.printf("  west asked east '%s' and got '%s' back on %s in %.1f ms%n", request.message().body(),
                reply.message().body(), replyTo.address(), (System.nanoTime() - t0) / 1e6);
        }
    }

    private static boolean reachable(Router router, String address) {
        Address a = router.core().addresses().lookup(address);
        return a != null && a.isReachable();
    }

    private static String site(String name, String extraTls) {
        return "site: " + name + "\ntls:\n  site: {cert: certs/site.crt, key: certs/site.key, ca: certs/ca.crt}\n" + extraTls;
    }

    private static String rel(Path dir, Path file) {
        return dir.relativize(file).toString().replaceFirst("^[^/]+/", "");
    }
}
