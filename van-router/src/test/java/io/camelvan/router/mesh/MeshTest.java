package io.camelvan.router.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.Delivery;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.Sender;
import org.apache.qpid.protonj2.client.StreamDelivery;
import org.apache.qpid.protonj2.client.StreamReceiver;
import org.apache.qpid.protonj2.client.StreamSenderMessage;
import org.apache.qpid.protonj2.client.Tracker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.router.Router;
import io.camelvan.router.config.LinkConfig;
import io.camelvan.router.core.Address;

/** Meshes of routers in one JVM, over real sockets and real mutual TLS. */
class MeshTest {

    @TempDir
    Path dir;

    private Client client;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void createClient() {
        client = Client.create();
    }

    @AfterEach
    void closeClient() {
        connections.forEach(Connection::close);
        client.close();
    }

    private Connection connect(TestNetwork net, String site) throws Exception {
        Connection c = client.connect("127.0.0.1", net.site(site).amqpPort());
        connections.add(c);
        return c;
    }

    private static void awaitReachable(Router router, String address) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Address a = router.core().addresses().lookup(address);
            return a != null && a.isReachable();
        });
    }

    /** Each of the routers has a route to each other one (replies are routed by topology). */
    private static void awaitRoutesBetween(TestNetwork net, List<String> routers) {
        await().atMost(Duration.ofSeconds(20)).until(() -> routers.stream().allMatch(from -> routers.stream()
            .allMatch(to -> from.equals(to) || net.router(from).mesh().routes().cost(to) >= 0)));
    }

    private static long deliveriesThrough(Router router, String address) {
        Address a = router.core().addresses().lookup(address);
        return a == null ? 0 : a.metrics().in();
    }

    @Test
    void aLineOfFiveRoutersCarriesMessagesAndRepliesEndToEnd() throws Exception {
        try (TestNetwork net = new TestNetwork(dir)) {
            for (String s : List.of("r1", "r2", "r3", "r4", "r5")) {
                net.interior(s);
            }
            net.link("r1", "r2", 1).link("r2", "r3", 1).link("r3", "r4", 1).link("r4", "r5", 1).startAll();
            Connection far = connect(net, "r5");
            Receiver service = far.openReceiver("service");
            service.openFuture().get(5, TimeUnit.SECONDS);
            // every hop, not only r1: while five routers start together their routes are computed
            // at intervals (ChurnThrottle), and a hop without a route yet releases what it is given
            List<String> line = List.of("r1", "r2", "r3", "r4", "r5");
            for (String hop : line.subList(0, 4)) {
                awaitReachable(net.router(hop), "service");
            }
            awaitRoutesBetween(net, line);

            Connection near = connect(net, "r1");
            Receiver replies = near.openDynamicReceiver();
            Sender requests = near.openSender("service");
            Sender responder = far.openAnonymousSender();
            for (int i = 0; i < 20; i++) {
                Tracker tracker = requests.send(Message.create("request " + i).replyTo(replies.address()));
                Delivery request = service.receive(10, TimeUnit.SECONDS);
                assertThat((String) request.message().body()).isEqualTo("request " + i);
                responder.send(Message.create("reply " + i).to(request.message().replyTo()));
                assertThat((String) replies.receive(10, TimeUnit.SECONDS).message().body()).isEqualTo("reply " + i);
                assertThat(tracker.awaitSettlement(10, TimeUnit.SECONDS).remoteState().isAccepted()).isTrue();
            }
        }
    }

    @Test
    void trafficTakesTheCheapPathMovesWhenItIsCutAndComesBack() throws Exception {
        try (TestNetwork net = new TestNetwork(dir)) {
            net.interior("a");
            net.interior("b");
            net.interior("c");
            net.link("a", "b", 1).link("b", "c", 1).link("a", "c", 5).startAll();
            Receiver receiver = connect(net, "c").openReceiver("orders");
            receiver.openFuture().get(5, TimeUnit.SECONDS);
            awaitReachable(net.router("a"), "orders");
            awaitReachable(net.router("b"), "orders");   // the hop too: see aLineOfFiveRouters...
            await().atMost(Duration.ofSeconds(10)).until(() -> routeCost(net.router("a"), "c") == 2);
            Sender sender = connect(net, "a").openSender("orders");

            exchange(sender, receiver, 10);
            assertThat(deliveriesThrough(net.router("b"), "orders")).as("cheap path a-b-c").isEqualTo(10);

            Router a = net.router("a");
            List<LinkConfig> allLinks = a.config().links();
            a.updateLinks(allLinks.stream().filter(l -> !l.name().equals("b")).toList());
            await().atMost(Duration.ofSeconds(5)).until(() -> routeCost(net.router("a"), "c") == 5);
            exchange(sender, receiver, 10);
            assertThat(deliveriesThrough(net.router("b"), "orders")).as("direct a-c while a-b is cut").isEqualTo(10);

            a.updateLinks(allLinks);
            await().atMost(Duration.ofSeconds(10)).until(() -> routeCost(net.router("a"), "c") == 2);
            exchange(sender, receiver, 10);
            assertThat(deliveriesThrough(net.router("b"), "orders")).as("back on a-b-c").isEqualTo(20);
        }
    }

    private static int routeCost(Router router, String to) {
        return router.mesh().routes().cost(to);
    }

    private static void exchange(Sender sender, Receiver receiver, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            Tracker t = sender.send(Message.create("m" + i));
            assertThat(receiver.receive(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(t.awaitSettlement(10, TimeUnit.SECONDS).remoteState().isAccepted()).isTrue();
        }
    }

    @Test
    void balancedDistributionSpreadsAcrossThreeSites() throws Exception {
        try (TestNetwork net = new TestNetwork(dir)) {
            for (String s : List.of("x", "y", "z")) {
                net.interior(s);
            }
            net.link("x", "y", 1).link("y", "z", 1).link("x", "z", 1).startAll();
            Map<String, Receiver> receivers = new HashMap<>();
            for (String s : List.of("x", "y", "z")) {
                Receiver r = connect(net, s).openReceiver("work");
                r.openFuture().get(5, TimeUnit.SECONDS);
                receivers.put(s, r);
            }
            await().atMost(Duration.ofSeconds(20)).until(() ->
                net.router("x").core().addresses().lookup("work").consumers().length == 3);
            int total = 300;
            Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
            AtomicInteger got = new AtomicInteger();
            List<CompletableFuture<Void>> readers = new ArrayList<>();
            receivers.forEach((site, r) -> readers.add(CompletableFuture.runAsync(() -> {
                try {
                    while (got.get() < total) {
                        Delivery d = r.receive(100, TimeUnit.MILLISECONDS);
                        if (d != null) {
                            counts.computeIfAbsent(site, k -> new AtomicInteger()).incrementAndGet();
                            got.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            })));
            Sender sender = connect(net, "x").openSender("work");
            List<Tracker> trackers = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                trackers.add(sender.send(Message.create("job " + i)));
            }
            CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            for (Tracker t : trackers) {
                assertThat(t.awaitSettlement(10, TimeUnit.SECONDS).remoteState().isAccepted()).isTrue();
            }
            assertThat(counts).containsOnlyKeys("x", "y", "z");
            counts.values().forEach(n -> assertThat(n.get()).as("share of %s", counts).isGreaterThan(total / 10));
        }
    }

    @Test
    void closestPrefersTheLocalConsumerThenTheRemoteOne() throws Exception {
        try (TestNetwork net = new TestNetwork(dir)) {
            for (String s : List.of("near", "far")) {
                net.interior(s).extraYaml = "addresses:\n  - {prefix: nearest., distribution: closest}\n";
            }
            net.link("near", "far", 1).startAll();
            Receiver remote = connect(net, "far").openReceiver("nearest.jobs");
            remote.openFuture().get(5, TimeUnit.SECONDS);
            Connection local = connect(net, "near");
            Receiver here = local.openReceiver("nearest.jobs");
            here.openFuture().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                net.router("near").core().addresses().lookup("nearest.jobs").consumers().length == 2);
            Sender sender = connect(net, "near").openSender("nearest.jobs");
            exchange(sender, here, 20);
            assertThat(remote.tryReceive()).as("nothing went far while a consumer was near").isNull();

            here.close();
            exchange(sender, remote, 5);
        }
    }

    @Test
    void multicastGivesEveryConsumerInTheMeshExactlyOneCopy() throws Exception {
        try (TestNetwork net = new TestNetwork(dir)) {
            for (String s : List.of("m1", "m2", "m3", "m4")) {
                net.interior(s).extraYaml = "addresses:\n  - {prefix: events., distribution: multicast}\n";
            }
            // a square with a diagonal: many paths, so duplicates would show if copies followed more than one
            net.link("m1", "m2", 1).link("m2", "m3", 1).link("m3", "m4", 1).link("m4", "m1", 1).link("m1", "m3", 1)
                .startAll();
            List<Receiver> receivers = new ArrayList<>();
            for (String s : List.of("m1", "m2", "m3", "m4", "m4")) {
                Receiver r = connect(net, s).openReceiver("events.prices");
                r.openFuture().get(5, TimeUnit.SECONDS);
                receivers.add(r);
            }
            await().atMost(Duration.ofSeconds(20)).until(() ->
                net.router("m2").core().addresses().lookup("events.prices").consumers().length == 4);
            // m4 is two hops away through m1 or m3: wait until m2 knows both (ties go to m1), so that no
            // copy changes path, and order, half-way through
            await().atMost(Duration.ofSeconds(30)).until(() -> net.router("m2").mesh().routes().cost("m4") == 2
                && "m1".equals(net.router("m2").mesh().routes().nextHop("m4").routerId())
                && net.router("m1").mesh().routes().cost("m4") == 1);
            Sender sender = connect(net, "m2").openSender("events.prices");
            for (int i = 0; i < 50; i++) {
                sender.send(Message.create("tick " + i)).awaitSettlement(10, TimeUnit.SECONDS);
            }
            for (Receiver r : receivers) {
                for (int i = 0; i < 50; i++) {
                    Delivery d = r.receive(10, TimeUnit.SECONDS);
                    assertThat(d).as("copy %d", i).isNotNull();
                    assertThat((String) d.message().body()).isEqualTo("tick " + i);
                }
                assertThat(r.tryReceive()).as("no duplicate").isNull();
            }
        }
    }

    @Test
    void edgeRoutersReachEachOtherThroughTheirInterior() throws Exception {
        try (TestNetwork net = new TestNetwork(dir)) {
            net.interior("hub");
            net.interior("far");
            for (String e : List.of("e1", "e2", "e3")) {
                net.edge(e);
                net.link(e, "hub", 1);
            }
            net.link("far", "hub", 1).startAll();
            Connection e3 = connect(net, "e3");
            Receiver receiver = e3.openReceiver("edge.work");
            receiver.openFuture().get(5, TimeUnit.SECONDS);
            awaitReachable(net.router("e1"), "edge.work");
            awaitReachable(net.router("far"), "edge.work");

            Connection e1 = connect(net, "e1");
            Receiver replies = e1.openDynamicReceiver();
            assertThat(replies.address()).startsWith("_van/e1/temp/");
            Tracker tracker = e1.openSender("edge.work").send(Message.create("edge to edge").replyTo(replies.address()));
            Delivery request = receiver.receive(10, TimeUnit.SECONDS);
            assertThat((String) request.message().body()).isEqualTo("edge to edge");
            e3.openAnonymousSender().send(Message.create("reply").to(request.message().replyTo()));
            assertThat((String) replies.receive(10, TimeUnit.SECONDS).message().body()).isEqualTo("reply");
            assertThat(tracker.awaitSettlement(10, TimeUnit.SECONDS).remoteState().isAccepted()).isTrue();

            // and from an interior router beyond the hub
            Tracker fromFar = connect(net, "far").openSender("edge.work").send(Message.create("from far"));
            assertThat((String) receiver.receive(10, TimeUnit.SECONDS).message().body()).isEqualTo("from far");
            assertThat(fromFar.awaitSettlement(10, TimeUnit.SECONDS).remoteState().isAccepted()).isTrue();
        }
    }

    @Test
    void aLargeMessageStreamsAcrossRouters() throws Exception {
        try (TestNetwork net = new TestNetwork(dir)) {
            net.interior("s1");
            net.interior("s2");
            net.interior("s3");
            net.link("s1", "s2", 1).link("s2", "s3", 1).startAll();
            StreamReceiver receiver = connect(net, "s3").openStreamReceiver("bulk");
            receiver.openFuture().get(5, TimeUnit.SECONDS);
            awaitReachable(net.router("s1"), "bulk");
            awaitReachable(net.router("s2"), "bulk");
            int size = 20 << 20;
            CompletableFuture<byte[]> digest = CompletableFuture.supplyAsync(() -> {
                try {
                    StreamDelivery d = receiver.receive(30, TimeUnit.SECONDS);
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    try (InputStream in = d.message().body()) {
                        byte[] buf = new byte[65536];
                        int n;
                        while ((n = in.read(buf)) > 0) {
                            sha.update(buf, 0, n);
                        }
                    }
                    d.accept();
                    return sha.digest();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            StreamSenderMessage message = connect(net, "s1").openStreamSender("bulk").beginMessage();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[128 * 1024];
            Random random = new Random(7);
            try (OutputStream out = message.body()) {
                for (int sent = 0; sent < size; sent += chunk.length) {
                    random.nextBytes(chunk);
                    sha.update(chunk);
                    out.write(chunk);
                }
            }
            assertThat(message.tracker().awaitSettlement(30, TimeUnit.SECONDS).remoteState().getType())
                .isEqualTo(org.apache.qpid.protonj2.client.DeliveryState.Type.ACCEPTED);
            assertThat(digest.get(30, TimeUnit.SECONDS)).isEqualTo(sha.digest());
        }
    }
}
