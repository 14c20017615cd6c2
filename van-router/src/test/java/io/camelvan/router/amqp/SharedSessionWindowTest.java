package io.camelvan.router.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.codec.CodecFactory;
import org.apache.qpid.protonj2.codec.Encoder;
import org.apache.qpid.protonj2.codec.EncoderState;
import org.apache.qpid.protonj2.engine.Receiver;
import org.apache.qpid.protonj2.engine.Sender;
import org.apache.qpid.protonj2.engine.Session;
import org.apache.qpid.protonj2.engine.impl.ProtonDeliveryTagGenerator;
import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Data;
import org.apache.qpid.protonj2.types.messaging.Properties;
import org.apache.qpid.protonj2.types.messaging.Source;
import org.apache.qpid.protonj2.types.messaging.Target;
import org.junit.jupiter.api.Test;

import io.camelvan.router.Router;
import io.camelvan.router.TestRouters;

/**
 * A consumer with several receivers on one session and a small session window gets every message
 * on every receiver. The window reopens with a flow that names one link; the router's other links
 * on that session, which found the window shut, must send again too.
 */
class SharedSessionWindowTest {

    private static final int WINDOW_FRAMES = 4;
    private static final int PER_ADDRESS = 20; // 60 in all: fewer than the router's own window admits from the producer at once
    private static final String[] ADDRESSES = {"window.a", "window.b", "window.c"};

    @Test
    void everyReceiverOfASessionGetsItsMessagesWhenTheWindowKeepsClosing() throws Exception {
        try (Router router = TestRouters.start("window", "");
             EngineOverSocket consumer = new EngineOverSocket(router.port("amqp"));
             EngineOverSocket producer = new EngineOverSocket(router.port("amqp"))) {
            Map<String, AtomicInteger> arrived = new ConcurrentHashMap<>();
            Map<String, Receiver> receivers = consumer.call(() -> {
                Session session = consumer.connection().session();
                session.setIncomingCapacity(WINDOW_FRAMES * (int) consumer.connection().getMaxFrameSize());
                session.open();
                Map<String, Receiver> byAddress = new ConcurrentHashMap<>();
                for (String address : ADDRESSES) {
                    Receiver receiver = session.receiver(address).setSource(new Source().setAddress(address))
                        .setTarget(new Target());
                    receiver.deliveryReadHandler(d -> {
                        if (!d.isPartial()) {
                            d.readAll().close(); // reading is what lets the window reopen
                            d.disposition(Accepted.getInstance(), true);
                            arrived.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
                        }
                    });
                    byAddress.put(address, receiver.open());
                }
                return byAddress;
            });
            Sender sender = producer.call(() -> {
                Sender s = producer.connection().session().open().sender("out").setSource(new Source()).setTarget(new Target());
                s.setDeliveryTagGenerator(ProtonDeliveryTagGenerator.BUILTIN.SEQUENTIAL.createGenerator());
                return s.open();
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> producer.call(() -> sender.getCredit() > 0));

            // queued in the router for receivers that have no credit yet
            producer.call(() -> {
                for (int i = 0; i < PER_ADDRESS; i++) {
                    for (String address : ADDRESSES) {
                        sender.next().writeBytes(withTo(address));
                    }
                }
                return null;
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> router.core().addresses().lookup(ADDRESSES[2]) != null
                && router.core().addresses().lookup(ADDRESSES[2]).metrics().in() == PER_ADDRESS);
            // credit for all receivers in one write: the first link to send shuts the window on the others
            consumer.call(() -> {
                receivers.values().forEach(r -> r.addCredit(PER_ADDRESS));
                return null;
            });

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                for (String address : ADDRESSES) {
                    assertThat(arrived.getOrDefault(address, new AtomicInteger()).get())
                        .as("messages received from '%s'", address).isEqualTo(PER_ADDRESS);
                }
            });
        }
    }

    /** A message whose properties' {@code to} is the address (for the anonymous relay), and an empty body. */
    private static ProtonBuffer withTo(String address) {
        ProtonBuffer buffer = ProtonBufferAllocator.defaultAllocator().allocate(64);
        Encoder encoder = CodecFactory.getEncoder();
        EncoderState state = encoder.newEncoderState();
        encoder.writeObject(buffer, state, new Properties().setTo(address));
        encoder.writeObject(buffer, state, new Data(new byte[0]));
        return buffer;
    }
}
