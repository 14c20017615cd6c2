package io.camelvan.router.amqp;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.types.messaging.Rejected;
import org.apache.qpid.protonj2.types.messaging.Released;
import org.apache.qpid.protonj2.types.transport.DeliveryState;

import io.camelvan.router.core.Address;
import io.camelvan.router.core.CopyPlan;
import io.camelvan.router.core.RouterCore;

/**
 * Sends a whole message from inside the router's JVM (a management reply, an application that
 * embeds the router) to an address anywhere in the network, exactly as if a client had sent it,
 * and reports its outcome.
 */
public final class LocalSender {

    private LocalSender() {
    }

    /**
     * Sends unsettled, on {@code loop}.
     *
     * @param loop where the message is routed and the outcome reported
     * @param outcome told the outcome: the consumer's, or released / rejected when nobody can take it
     */
    public static void send(RouterCore core, Executor loop, String to, AmqpMessage message,
            Consumer<DeliveryState> outcome) {
        loop.execute(() -> send(core, to, message.encode(), false, loop, outcome, () -> { }));
    }

    /**
     * Routes an encoded message on the calling thread.
     *
     * @param bytes    the whole message; ownership passes here
     * @param settled  pre-settled: the consumers' copies need no outcome (the sender is told accepted once all
     *                 are sent)
     * @param later    runs the reports below, one at a time and never inside another report
     * @param outcome  told the outcome once: the consumer's, or released (nobody can take it now) or rejected
     *                 (a router's own address that does not exist)
     * @param finished told once every copy has ended: nothing of the message is held in the router any more
     */
    public static void send(RouterCore core, String to, ProtonBuffer bytes, boolean settled, Executor later,
            Consumer<DeliveryState> outcome, Runnable finished) {
        List<CopyPlan> plans = core.forwarder().plan(to, null);
        if (plans.isEmpty()) {
            bytes.close();
            later.execute(() -> {
                outcome.accept(RouterCore.owner(to) != null
                    ? new Rejected(AmqpErrors.notFound("address '" + to + "' does not exist")) : Released.getInstance());
                finished.run();
            });
            return;
        }
        Address entry = core.addresses().lookup(to);
        if (entry != null) {
            entry.metrics().deliveryIn();
        }
        MessageHead.Parsed parsed = plans.stream().anyMatch(CopyPlan::crossesRouters)
            ? MessageHead.get().parse(bytes, false) : null;
        Ingress.route(core, to, null, parsed, bytes, plans, settled, true, bytes.getReadableBytes(), 0,
            new Ingress.Owner() {
                @Override
                public void later(Runnable task) {
                    later.execute(task);
                }

                @Override
                public void resume() {
                    // the whole message was written at once: nothing more to resume
                }

                @Override
                public void outcome(DeliveryState state) {
                    if (entry != null) {
                        entry.metrics().outcome(state);
                    }
                    outcome.accept(state);
                }

                @Override
                public void finished() {
                    finished.run();
                }
            });
    }
}
