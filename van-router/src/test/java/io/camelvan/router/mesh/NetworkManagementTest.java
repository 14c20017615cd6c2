package io.camelvan.router.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.Sender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.router.Router;
import io.camelvan.router.config.Distribution;
import io.camelvan.router.management.FlowRecord;
import io.camelvan.router.management.ManagementReply;

/**
 * Management across the mesh, in one JVM over real mutual TLS: the network view and the flow records
 * gathered from every router (also from an edge router), requests to another router's endpoint by
 * id, and links and address settings changed through management.
 */
class NetworkManagementTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Client client;

    @BeforeEach
    void createClient() {
        client = Client.create();
    }

    @AfterEach
    void closeClient() {
        client.close();
    }

    private static ManagementReply call(Router router, String operation, String type, String name, Map<String, Object> body)
            throws Exception {
        return router.management().call(operation, type, name, body).get(10, TimeUnit.SECONDS);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }

    @Test
    void theNetworkViewHasEverySiteLinkAndServiceAndLosesAStoppedRouter() throws Exception {
        try (TestNetwork net = new TestNetwork(dir)) {
            net.interior("a");
            net.interior("b");
            net.interior("c");
            net.edge("e");
            net.link("a", "b", 1).link("b", "c", 2).link("e", "b", 1).startAll();
            Connection atC = client.connect("127.0.0.1", net.site("c").amqpPort());
            atC.openReceiver("orders").openFuture().get(5, TimeUnit.SECONDS);
            Connection atA = client.connect("127.0.0.1", net.site("a").amqpPort());
            atA.openSender("orders").openFuture().get(5, TimeUnit.SECONDS);

            await().atMost(WAIT).untilAsserted(() -> {
                Map<String, Object> network = call(net.router("a"), "QUERY", "network", null, Map.of()).entity();
                assertThat(list(network, "sites")).extracting(s -> s.get("name")).containsExactly("a", "b", "c", "e");
                assertThat(list(network, "routers")).allSatisfy(r -> assertThat(r.get("answered")).isEqualTo(true));
                assertThat(list(network, "links")).extracting(l -> l.get("from") + "-" + l.get("to") + ":" + l.get("cost"))
                    .containsExactlyInAnyOrder("a-b:1", "b-c:2", "e-b:1");
                Map<String, Object> orders = list(network, "services").stream()
                    .filter(s -> s.get("address").equals("orders")).findFirst().orElseThrow();
                assertThat(list(orders, "consumers")).extracting(c -> c.get("site") + "/" + c.get("count")).containsExactly("c/1");
                assertThat(list(orders, "producers")).extracting(c -> c.get("site") + "/" + c.get("count")).containsExactly("a/1");
            });

            net.router("c").flowRecorder().started(FlowRecord.Protocol.TCP, "db");
            net.router("c").flowRecorder().record(new FlowRecord("flow-at-c", FlowRecord.Protocol.TCP, "db", "c", "c", "db",
                "b", "b", "postgres", Instant.now(), Duration.ofSeconds(3), 1200, 56000, FlowRecord.Outcome.COMPLETED, null, 0));
            Map<String, Object> flows = call(net.router("a"), "QUERY", "networkFlow", null, Map.of("limit", 10)).entity();
            assertThat(list(flows, "flows")).extracting(f -> f.get("id")).containsExactly("flow-at-c");
            assertThat((Map<?, ?>) flows.get("unanswered")).isEmpty();

            Map<String, Object> fromEdge = call(net.router("e"), "QUERY", "network", null, Map.of()).entity();
            assertThat(fromEdge.get("router")).as("an edge router asks its interior router").isEqualTo("b");
            assertThat(list(fromEdge, "routers")).extracting(r -> r.get("id")).contains("a", "b", "c", "e");

            net.site("c").stop();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(list(
                call(net.router("a"), "QUERY", "network", null, Map.of()).entity(), "sites"))
                .extracting(s -> s.get("name")).containsExactly("a", "b", "e"));
        }
    }

    @Test
    void anotherRoutersEndpointIsReachedByIdAndLinksAndAddressSettingsChangeThroughManagement() throws Exception {
        try (TestNetwork net = new TestNetwork(dir)) {
            net.interior("a");
            net.interior("b");
            net.link("a", "b", 1).startAll();
            Router a = net.router("a");
            await().atMost(WAIT).until(() -> a.mesh().routes().cost("b") == 1);

            // a client of b manages a across the mesh
            Connection atB = client.connect("127.0.0.1", net.site("b").amqpPort());
            Map<String, Object> remote = request(atB, "_van/a/$management", "READ", "router", "a", Map.of());
            assertThat(remote).containsEntry("statusCode", 200);
            assertThat(request(atB, "_van/a/$management", "READ", "link", "nowhere", Map.of())).containsEntry("statusCode", 404);

            assertThat(request(atB, "_van/a/$management", "UPDATE", "link", "b", Map.of("cost", 4)))
                .containsEntry("statusCode", 200);
            assertThat(Files.readString(a.config().file())).contains("cost: 4");
            await().atMost(WAIT).until(() -> a.mesh().routes().cost("b") == 4);

            ManagementReply bad = call(a, "UPDATE", "link", "b", Map.of("cost", 0));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.description()).contains("cost").contains("at least 1");
            assertThat(call(a, "CREATE", "link", "b", Map.of("host", "127.0.0.1", "port", 1, "tls", "link-b")).status())
                .isEqualTo(409);

            assertThat(call(a, "DELETE", "link", "b", Map.of()).status()).isEqualTo(204);
            await().atMost(WAIT).until(() -> a.mesh().routes().cost("b") == -1);
            ManagementReply created = call(a, "CREATE", "link", "b", Map.of("host", "127.0.0.1",
                "port", net.site("b").peerPort, "cost", 2, "tls", "link-b"));
            assertThat(created.status()).isEqualTo(201);
            await().atMost(WAIT).untilAsserted(() -> assertThat(call(a, "READ", "link", "b", Map.of()).entity())
                .containsEntry("state", "up").containsEntry("peerRouter", "b").containsEntry("cost", 2));

            assertThat(call(a, "CREATE", "addressSetting", "events.", Map.of("distribution", "multicast")).status())
                .isEqualTo(201);
            assertThat(Files.readString(a.config().file())).contains("events.").contains("multicast");
            assertThat(a.core().addresses().distributionOf("events.new")).isEqualTo(Distribution.MULTICAST);
            assertThat(call(a, "UPDATE", "addressSetting", "events.", Map.of("distribution", "fanout")).status())
                .isEqualTo(400);
            assertThat(call(a, "DELETE", "addressSetting", "events.", Map.of()).status()).isEqualTo(204);
            assertThat(a.core().addresses().distributionOf("events.new")).isEqualTo(Distribution.BALANCED);
        }
    }

    /** One management request by a plain AMQP client, as any client would send it; the reply's status and body. */
    private static Map<String, Object> request(Connection connection, String to, String operation, String type, String name,
            Map<String, Object> body) throws Exception {
        Receiver replies = connection.openDynamicReceiver();
        replies.openFuture().get(5, TimeUnit.SECONDS);
        Sender sender = connection.openAnonymousSender();
        sender.send(Message.create((Object) body).to(to).replyTo(replies.address()).messageId(UUID.randomUUID().toString())
            .property("operation", operation).property("type", type).property("name", name));
        Message<Object> reply = replies.receive(10, TimeUnit.SECONDS).message();
        replies.close();
        sender.close();
        return Map.of("statusCode", reply.property("statusCode"), "statusDescription", reply.property("statusDescription"),
            "body", reply.body() == null ? "" : reply.body());
    }
}
