package io.camelvan.router.amqp;

import java.lang.reflect.Field;

import org.apache.qpid.protonj2.engine.Sender;
import org.apache.qpid.protonj2.engine.Session;
import org.apache.qpid.protonj2.engine.util.UnsettledMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works around protonj2 1.1.0 tracking an unsettled delivery once per <em>transfer call</em>: a
 * sender and its session put the delivery in their unsettled maps on every
 * {@code streamBytes}, and each repeated id opens a new 256-entry bucket that is never given back.
 * For a stream that lasts (a TCP flow) that is unbounded memory and quadratic time. The maps of
 * our senders and sessions are swapped, while still empty, for ones that keep a delivery once.
 * If protonj2 changes its fields the swap is skipped, with one warning.
 */
final class UnsettledOncePerDelivery<D> extends UnsettledMap<D> {

    private static final Logger LOG = LoggerFactory.getLogger(UnsettledOncePerDelivery.class);
    private static volatile boolean warned;

    private int lastId;
    private D last;

    UnsettledOncePerDelivery(UnsettledGetDeliveryId<D> ids) {
        super(ids);
    }

    @Override
    public D put(int deliveryId, D delivery) {
        if ((delivery == last && deliveryId == lastId) || (!isEmpty() && get(deliveryId) == delivery)) {
            return delivery;
        }
        last = delivery;
        lastId = deliveryId;
        return super.put(deliveryId, delivery);
    }

    @Override
    public D remove(int deliveryId) {
        if (deliveryId == lastId) {
            last = null;
        }
        return super.remove(deliveryId);
    }

    /** Swaps the unsettled map of a sender not yet used. */
    static void install(Sender sender) {
        swap(sender, Fields.SENDER_UNSETTLED);
    }

    /** Swaps the outgoing unsettled map of a session not yet used. */
    static void install(Session session) {
        if (Fields.SESSION_WINDOW == null) {
            return;
        }
        try {
            swap(Fields.SESSION_WINDOW.get(session), Fields.WINDOW_UNSETTLED);
        } catch (ReflectiveOperationException | RuntimeException e) {
            warn(e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void swap(Object owner, Field field) {
        if (field == null || Fields.IDS == null) {
            return;
        }
        try {
            UnsettledMap current = (UnsettledMap) field.get(owner);
            if (current instanceof UnsettledOncePerDelivery || !current.isEmpty()) {
                return;
            }
            field.set(owner, new UnsettledOncePerDelivery<>((UnsettledGetDeliveryId) Fields.IDS.get(current)));
        } catch (ReflectiveOperationException | RuntimeException e) {
            warn(e);
        }
    }

    /** protonj2's private fields, looked up once; null when protonj2 has changed them. */
    private static final class Fields {
        static final Field SENDER_UNSETTLED = find("org.apache.qpid.protonj2.engine.impl.ProtonSender", "unsettled");
        static final Field SESSION_WINDOW = find("org.apache.qpid.protonj2.engine.impl.ProtonSession", "outgoingWindow");
        static final Field WINDOW_UNSETTLED = find("org.apache.qpid.protonj2.engine.impl.ProtonSessionOutgoingWindow", "unsettled");
        static final Field IDS = find(UnsettledMap.class.getName(), "deliveryIdSupplier");

        private static Field find(String type, String name) {
            try {
                Field f = Class.forName(type).getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (ReflectiveOperationException | RuntimeException e) {
                warn(e);
                return null;
            }
        }
    }

    private static void warn(Exception e) {
        if (!warned) {
            warned = true;
            LOG.warn("cannot work around protonj2's unsettled tracking of streamed deliveries ({}): long streams "
                + "will use more memory and time", e.toString());
        }
    }
}
