package io.camelvan.router.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.engine.IncomingDelivery;
import org.apache.qpid.protonj2.engine.OutgoingDelivery;
import org.apache.qpid.protonj2.engine.Receiver;
import org.apache.qpid.protonj2.engine.Sender;
import org.apache.qpid.protonj2.engine.Session;
import org.apache.qpid.protonj2.engine.impl.ProtonDeliveryTagGenerator;
import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Rejected;
import org.apache.qpid.protonj2.types.messaging.Released;
import org.apache.qpid.protonj2.types.messaging.Source;
import org.apache.qpid.protonj2.types.messaging.Target;
import org.apache.qpid.protonj2.types.transport.DeliveryState;
import org.apache.qpid.protonj2.types.transport.Disposition;
import org.apache.qpid.protonj2.types.transport.Role;
import org.junit.jupiter.api.Test;

import io.camelvan.router.Router;
import io.camelvan.router.TestRouters;

/**
 * A burst of settlements reaches the producer as ranged disposition frames, and every delivery
 * still gets its own consumer's outcome: a reject or a release in the middle of a burst splits the range.
 */
class DispositionRangesTest {

    /** Fewer than the router's session window admits at once (its capacity over its max frame size). */
    private static final int MESSAGES = 50;
    private static final int REJECTED = 20;
    private static final int RELEASED = 30;
    /** An AMQP message with one empty Data section. */
    private static final byte[] MESSAGE = {0x00, 0x53, 0x75, (byte) 0xa0, 0x00};

    @Test
    void aBurstOfSettlementsGoesBackAsRangesWithEveryOutcomeKept() throws Exception {
        try (Router router = TestRouters.start("ranges", "");
             EngineOverSocket consumer = new EngineOverSocket(router.port("amqp"));
             EngineOverSocket producer = new EngineOverSocket(router.port("amqp"))) {
            List<IncomingDelivery> arrived = new CopyOnWriteArrayList<>();
            consumer.call(() -> {
                Session session = consumer.connection().session().open();
                Receiver receiver = session.receiver("in").setSource(new Source().setAddress("ranges"))
                    .setTarget(new Target());
                receiver.deliveryReadHandler(d -> {
                    if (!d.isPartial()) {
                        arrived.add(d);
                    }
                });
                return receiver.open().addCredit(MESSAGES);
            });
            List<OutgoingDelivery> sent = new ArrayList<>();
            int[] settled = {0};
            Sender sender = producer.call(() -> {
                Session session = producer.connection().session().open();
                Sender s = session.sender("out").setSource(new Source()).setTarget(new Target().setAddress("ranges"));
                s.setDeliveryTagGenerator(ProtonDeliveryTagGenerator.BUILTIN.SEQUENTIAL.createGenerator());
                s.deliveryStateUpdatedHandler(d -> {
                    if (d.isRemotelySettled()) {
                        settled[0]++;
                    }
                });
                return s.open();
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> producer.call(() -> sender.getCredit() >= MESSAGES));
            producer.call(() -> {
                for (int i = 0; i < MESSAGES; i++) {
                    sent.add(sender.next().writeBytes(ProtonBufferAllocator.defaultAllocator().copy(MESSAGE)));
                }
                return null;
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> arrived.size() == MESSAGES);

            // all settled in one write, so the router hears them in one read
            consumer.call(() -> {
                for (int i = 0; i < MESSAGES; i++) {
                    arrived.get(i).disposition(i == REJECTED ? new Rejected() : i == RELEASED ? Released.getInstance()
                        : Accepted.getInstance(), true);
                }
                return null;
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> producer.call(() -> settled[0] == MESSAGES));

            List<DeliveryState> inOrder = producer.call(() -> sent.stream().map(OutgoingDelivery::getRemoteState).toList());
            for (int i = 0; i < MESSAGES; i++) {
                Class<?> expected = i == REJECTED ? Rejected.class : i == RELEASED ? Released.class : Accepted.class;
                assertThat(inOrder.get(i)).as("outcome of message %d", i).isInstanceOf(expected);
            }
            List<Disposition> frames = producer.received().stream()
                .filter(p -> p instanceof Disposition d && d.getRole() == Role.RECEIVER).map(p -> (Disposition) p).toList();
            long covered = frames.stream().mapToLong(d -> (d.hasLast() ? d.getLast() : d.getFirst()) - d.getFirst() + 1).sum();
            assertThat(covered).as("every delivery settled exactly once").isEqualTo(MESSAGES);
            // at least the reject and the release are frames of their own, between ranges
            assertThat(frames.size()).as("disposition frames for %d deliveries", MESSAGES).isBetween(5, MESSAGES / 4);
        }
    }
}
