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
        swap(sender, "unsettled");
    }

    /** Swaps the outgoing unsettled map of a session not yet used. */
    static void install(Session session) {
        try {
            Field window = field(session.getClass(), "outgoingWindow");
            swap(window.get(session), "unsettled");
        } catch (ReflectiveOperationException | RuntimeException e) {
            warn(e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void swap(Object owner, String name) {
        try {
            Field field = field(owner.getClass(), name);
            UnsettledMap current = (UnsettledMap) field.get(owner);
            if (current instanceof UnsettledOncePerDelivery || !current.isEmpty()) {
                return;
            }
            Field ids = field(UnsettledMap.class, "deliveryIdSupplier");
            field.set(owner, new UnsettledOncePerDelivery<>((UnsettledGetDeliveryId) ids.get(current)));
        } catch (ReflectiveOperationException | RuntimeException e) {
            warn(e);
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // look further up
            }
        }
        throw new NoSuchFieldException(name + " in " + type.getName());
    }

    private static void warn(Exception e) {
        if (!warned) {
            warned = true;
            LOG.warn("cannot work around protonj2's unsettled tracking of streamed deliveries ({}): long streams "
                + "will use more memory and time", e.toString());
        }
    }
}
