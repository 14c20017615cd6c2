package io.camelvan.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.Delivery;
import org.apache.qpid.protonj2.client.DeliveryMode;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.ReceiverOptions;
import org.apache.qpid.protonj2.client.Rejected;
import org.apache.qpid.protonj2.client.Sender;
import org.apache.qpid.protonj2.client.SenderOptions;
import org.apache.qpid.protonj2.client.Session;
import org.apache.qpid.protonj2.client.SessionOptions;
import org.apache.qpid.protonj2.client.StreamDelivery;
import org.apache.qpid.protonj2.client.StreamReceiver;
import org.apache.qpid.protonj2.client.StreamSender;
import org.apache.qpid.protonj2.client.StreamSenderMessage;
import org.apache.qpid.protonj2.client.Tracker;
import org.apache.qpid.protonj2.client.exceptions.ClientLinkRemotelyClosedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The router with protonj2-client: streaming, outcomes, dynamic and reserved addresses. */
class ProtonClientTest {

    private static Router router;
    private static Client client;

    @BeforeAll
    static void start() {
        router = TestRouters.start("proton", "");
        client = Client.create();
    }

    @AfterAll
    static void stop() {
        client.close();
        router.close();
    }

    private static Connection connect() throws Exception {
        return client.connect("127.0.0.1", router.port("amqp"));
    }

    @Test
    void streamsA50MegabyteMessageThroughIntact() throws Exception {
        int size = 50 << 20;
        try (Connection producer = connect(); Connection consumer = connect()) {
            StreamReceiver receiver = consumer.openStreamReceiver("big");
            receiver.openFuture().get(5, TimeUnit.SECONDS);
            CompletableFuture<byte[]> receivedDigest = CompletableFuture.supplyAsync(() -> {
                try {
                    StreamDelivery delivery = receiver.receive(60, TimeUnit.SECONDS);
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    long total = 0;
                    try (InputStream body = delivery.message().body()) {
                        byte[] buf = new byte[64 * 1024];
                        int n;
                        while ((n = body.read(buf)) != -1) {
                            sha.update(buf, 0, n);
                            total += n;
                        }
                    }
                    delivery.accept();
                    assertThat(total).isEqualTo(size);
                    return sha.digest();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            StreamSender sender = producer.openStreamSender("big");
            StreamSenderMessage message = sender.beginMessage();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Random random = new Random(42);
            byte[] chunk = new byte[256 * 1024];
            try (OutputStream body = message.body()) {
                for (int written = 0; written < size; written += chunk.length) {
                    random.nextBytes(chunk);
                    sha.update(chunk);
                    body.write(chunk);
                }
            }
            var tracker = message.tracker().awaitSettlement(60, TimeUnit.SECONDS);
            assertThat(tracker.remoteState().isAccepted()).isTrue();
            assertThat(receivedDigest.get(60, TimeUnit.SECONDS)).isEqualTo(sha.digest());
        }
    }

    @Test
    void aConsumersRejectReachesTheProducer() throws Exception {
        try (Connection producer = connect(); Connection consumer = connect()) {
            Receiver receiver = consumer.openReceiver("orders.reject", new ReceiverOptions().autoAccept(false));
            receiver.openFuture().get(5, TimeUnit.SECONDS);
            Sender sender = producer.openSender("orders.reject");
            Tracker tracker = sender.send(Message.create("bad order"));
            Delivery delivery = receiver.receive(5, TimeUnit.SECONDS);
            assertThat((String) delivery.message().body()).isEqualTo("bad order");
            delivery.reject("app:out-of-stock", "no more widgets");
            tracker.awaitSettlement(5, TimeUnit.SECONDS);
            assertThat(tracker.remoteState().isRejected()).isTrue();
            Rejected rejected = (Rejected) tracker.remoteState();
            assertThat(rejected.getCondition()).isEqualTo("app:out-of-stock");
            assertThat(rejected.getDescription()).isEqualTo("no more widgets");
        }
    }

    @Test
    void releasedAndModifiedOutcomesReachTheProducer() throws Exception {
        try (Connection producer = connect(); Connection consumer = connect()) {
            Receiver receiver = consumer.openReceiver("orders.outcomes", new ReceiverOptions().autoAccept(false));
            receiver.openFuture().get(5, TimeUnit.SECONDS);
            Sender sender = producer.openSender("orders.outcomes");
            Tracker first = sender.send(Message.create("one"));
            Tracker second = sender.send(Message.create("two"));
            receiver.receive(5, TimeUnit.SECONDS).release();
            receiver.receive(5, TimeUnit.SECONDS).modified(true, true);
            assertThat(first.awaitSettlement(5, TimeUnit.SECONDS).remoteState().isReleased()).isTrue();
            assertThat(second.awaitSettlement(5, TimeUnit.SECONDS).remoteState().isModified()).isTrue();
        }
    }

    @Test
    void whenTheLastConsumerLeavesItsUnsentDeliveriesComeBackReleased() throws Exception {
        try (Connection producer = connect(); Connection consumer = connect()) {
            // a consumer that gives no credit: the delivery waits at the router for it
            Receiver receiver = consumer.openReceiver("orders.leaving", new ReceiverOptions().creditWindow(0));
            receiver.openFuture().get(5, TimeUnit.SECONDS);
            Sender sender = producer.openSender("orders.leaving");
            Tracker tracker = sender.send(Message.create("stranded"));
            assertThat(tracker.settlementFuture().isDone()).isFalse();
            receiver.close();
            assertThat(tracker.awaitSettlement(5, TimeUnit.SECONDS).remoteState().isReleased()).isTrue();
        }
    }

    @Test
    void preSettledMessagesFlowAtMostOnce() throws Exception {
        try (Connection producer = connect(); Connection consumer = connect()) {
            Receiver receiver = consumer.openReceiver("telemetry");
            receiver.openFuture().get(5, TimeUnit.SECONDS);
            Sender sender = producer.openSender("telemetry", new SenderOptions().deliveryMode(DeliveryMode.AT_MOST_ONCE));
            for (int i = 0; i < 50; i++) {
                sender.send(Message.create("reading " + i));
            }
            for (int i = 0; i < 50; i++) {
                Delivery d = receiver.receive(5, TimeUnit.SECONDS);
                assertThat((String) d.message().body()).isEqualTo("reading " + i);
                assertThat(d.remoteSettled()).isTrue();
            }
        }
    }

    @Test
    void anonymousRelayRoutesOnTheToAddressAndReleasesWhenNobodyListens() throws Exception {
        try (Connection producer = connect(); Connection consumer = connect()) {
            Receiver receiver = consumer.openReceiver("relay.target");
            receiver.openFuture().get(5, TimeUnit.SECONDS);
            Sender anonymous = producer.openAnonymousSender();
            Tracker delivered = anonymous.send(Message.create("routed by to").to("relay.target"));
            // settlement is end to end: the receiver accepts when the application takes the message
            assertThat((String) receiver.receive(5, TimeUnit.SECONDS).message().body()).isEqualTo("routed by to");
            assertThat(delivered.awaitSettlement(5, TimeUnit.SECONDS).remoteState().isAccepted()).isTrue();

            Tracker unrouted = anonymous.send(Message.create("nobody home").to("relay.nobody"));
            assertThat(unrouted.awaitSettlement(5, TimeUnit.SECONDS).remoteState().isReleased()).isTrue();

            Tracker noTo = anonymous.send(Message.create("no address"));
            Rejected rejected = (Rejected) noTo.awaitSettlement(5, TimeUnit.SECONDS).remoteState();
            assertThat(rejected.getCondition()).isEqualTo("amqp:invalid-field");
        }
    }

    @Test
    void dynamicReceiversGetAServerNamedAddressThatRepliesReach() throws Exception {
        try (Connection requester = connect(); Connection other = connect()) {
            Receiver replies = requester.openDynamicReceiver();
            String address = replies.address();
            assertThat(address).startsWith("_van/proton/temp/");
            Sender anonymous = other.openAnonymousSender();
            Tracker tracker = anonymous.send(Message.create("reply").to(address));
            assertThat((String) replies.receive(5, TimeUnit.SECONDS).message().body()).isEqualTo("reply");
            assertThat(tracker.awaitSettlement(5, TimeUnit.SECONDS).remoteState().isAccepted()).isTrue();
        }
    }

    @Test
    void receiversSharingASessionWhoseWindowKeepsClosingEachGetTheirMessages() throws Exception {
        List<String> addresses = List.of("shared.window.a", "shared.window.b", "shared.window.c");
        int perAddress = 20;
        try (Connection consumer = connect(); Connection producer = connect()) {
            // a window of 4 transfers: it shuts again and again while the router sends to three links
            Session session = consumer.openSession(new SessionOptions().incomingCapacity(4 * 65536));
            List<Receiver> receivers = new ArrayList<>();
            for (String address : addresses) {
                Receiver receiver = session.openReceiver(address, new ReceiverOptions().creditWindow(0));
                receiver.openFuture().get(5, TimeUnit.SECONDS);
                receivers.add(receiver);
            }
            Sender sender = producer.openAnonymousSender();
            for (int i = 0; i < perAddress; i++) {
                for (String address : addresses) {
                    sender.send(Message.create(address + " " + i).to(address));
                }
            }
            for (Receiver receiver : receivers) {
                receiver.addCredit(perAddress);
            }
            for (int r = 0; r < receivers.size(); r++) {
                for (int i = 0; i < perAddress; i++) {
                    Delivery delivery = receivers.get(r).receive(5, TimeUnit.SECONDS);
                    assertThat(delivery).as("message %d of %s", i, addresses.get(r)).isNotNull();
                    assertThat((String) delivery.message().body()).isEqualTo(addresses.get(r) + " " + i);
                }
            }
        }
    }

    @Test
    void aRestartedRouterNeverGivesAReplyAddressOfItsPreviousSelfToAnotherClient() throws Exception {
        String before;
        try (Router first = TestRouters.start("restarting", "");
             Connection connection = client.connect("127.0.0.1", first.port("amqp"))) {
            before = connection.openDynamicReceiver().address();
        }
        try (Router second = TestRouters.start("restarting", "");
             Connection requester = client.connect("127.0.0.1", second.port("amqp"));
             Connection responder = client.connect("127.0.0.1", second.port("amqp"))) {
            Receiver replies = requester.openDynamicReceiver();
            assertThat(replies.address()).startsWith("_van/restarting/temp/").isNotEqualTo(before);
            // a reply to the first router's client, late: refused, and nobody else receives it
            Tracker late = responder.openAnonymousSender().send(Message.create("late reply").to(before));
            Rejected rejected = (Rejected) late.awaitSettlement(5, TimeUnit.SECONDS).remoteState();
            assertThat(rejected.getCondition()).isEqualTo("amqp:not-found");
            assertThat(replies.tryReceive()).isNull();
        }
    }

    @Test
    void reservedAndVanishedAddressesAreRefusedWithAClearError() throws Exception {
        try (Connection connection = connect()) {
            Receiver reserved = connection.openReceiver("_van/proton/control");
            assertThatThrownBy(() -> reserved.openFuture().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClientLinkRemotelyClosedException.class)
                .hasMessageContaining("reserved");
            Receiver gone = connection.openReceiver("_van/proton/temp/999999");
            assertThatThrownBy(() -> gone.openFuture().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClientLinkRemotelyClosedException.class)
                .hasMessageContaining("does not exist");
            Tracker toGone = connection.openAnonymousSender()
                .send(Message.create("late reply").to("_van/proton/temp/999999"));
            Rejected rejected = (Rejected) toGone.awaitSettlement(5, TimeUnit.SECONDS).remoteState();
            assertThat(rejected.getCondition()).isEqualTo("amqp:not-found");
            // the connection is still fine
            Receiver fine = connection.openReceiver("ordinary");
            fine.openFuture().get(5, TimeUnit.SECONDS);
        }
    }
}
