package io.camelvan.router.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;

import org.apache.qpid.protonj2.engine.Connection;
import org.apache.qpid.protonj2.engine.Engine;
import org.apache.qpid.protonj2.engine.EngineFactory;
import org.apache.qpid.protonj2.engine.Sender;
import org.apache.qpid.protonj2.engine.Session;
import org.junit.jupiter.api.Test;

/** A streamed delivery is tracked once however many transfers it takes; the maps are swapped in protonj2's objects. */
class UnsettledOncePerDeliveryTest {

    private record Delivery(int id) {
    }

    @Test
    void aDeliveryPutOnEveryTransferIsKeptOnce() {
        UnsettledOncePerDelivery<Delivery> map = new UnsettledOncePerDelivery<>(Delivery::id);
        Delivery streamed = new Delivery(7);
        Delivery other = new Delivery(8);

        for (int i = 0; i < 10_000; i++) {
            map.put(7, streamed);
        }
        map.put(8, other);
        map.put(7, streamed); // an earlier delivery of the session goes on after a later one began

        assertThat(map).hasSize(2);
        assertThat(map.remove(7)).isSameAs(streamed);
        assertThat(map.remove(8)).isSameAs(other);
        assertThat(map).isEmpty();
    }

    @Test
    void theMapsOfASenderAndItsSessionAreSwapped() throws Exception {
        Engine engine = EngineFactory.PROTON.createNonSaslEngine();
        engine.outputConsumer(buffer -> buffer.close());
        Connection connection = engine.start().open();
        Session session = connection.session();
        Sender sender = session.sender("stream");

        UnsettledOncePerDelivery.install(session);
        UnsettledOncePerDelivery.install(sender);

        assertThat(read(sender, "unsettled")).isInstanceOf(UnsettledOncePerDelivery.class);
        assertThat(read(read(session, "outgoingWindow"), "unsettled")).isInstanceOf(UnsettledOncePerDelivery.class);
    }

    private static Object read(Object owner, String name) throws Exception {
        for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(owner);
            } catch (NoSuchFieldException e) {
                // further up
            }
        }
        throw new NoSuchFieldException(name);
    }

}
