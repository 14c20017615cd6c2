package io.camelvan.router.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two interior routers linked by mutual TLS: messages and replies cross the link. */
class TwoRoutersTest {

    @TempDir
    Path dir;

    @Test
    void aMessageCrossesTheLinkAndItsOutcomeComesBack() throws Exception {
        try (TestNetwork net = new TestNetwork(dir); Client client = Client.create()) {
            net.interior("west");
            net.interior("east");
            net.link("west", "east", 1).startAll();
            Connection consumer = client.connect("127.0.0.1", net.site("east").amqpPort());
            Receiver receiver = consumer.openReceiver("orders");
            receiver.openFuture().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() ->
                net.router("west").core().addresses().lookup("orders") != null
                    && net.router("west").core().addresses().lookup("orders").isReachable());

            Connection producer = client.connect("127.0.0.1", net.site("west").amqpPort());
            Tracker tracker = producer.openSender("orders").send(Message.create("across"));
            var delivery = receiver.receive(10, TimeUnit.SECONDS);
            assertThat(delivery).isNotNull();
            assertThat((String) delivery.message().body()).isEqualTo("across");
            assertThat(delivery.annotations()).as("router annotations are stripped").isNullOrEmpty();
            assertThat(tracker.awaitSettlement(5, TimeUnit.SECONDS).remoteState().isAccepted()).isTrue();

            Receiver replies = producer.openDynamicReceiver();
            consumer.openAnonymousSender().send(Message.create("reply").to(replies.address()));
            assertThat((String) replies.receive(10, TimeUnit.SECONDS).message().body()).isEqualTo("reply");

            // the management endpoint of the far router, through the near one
            producer.openAnonymousSender().send(Message.create((Object) java.util.Map.of())
                .to("_van/east/$management").replyTo(replies.address()).messageId("q1")
                .property("operation", "QUERY").property("type", "address"));
            Message<Object> answer = replies.receive(10, TimeUnit.SECONDS).message();
            assertThat(answer.property("statusCode")).isEqualTo(200);
            assertThat(answer.correlationId()).isEqualTo("q1");
            assertThat(answer.body().toString()).contains("orders");
        }
    }
}
