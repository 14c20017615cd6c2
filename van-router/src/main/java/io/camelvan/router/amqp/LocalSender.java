package io.camelvan.router.amqp;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.types.messaging.Rejected;
import org.apache.qpid.protonj2.types.messaging.Released;
import org.apache.qpid.protonj2.types.transport.DeliveryState;

import io.camelvan.router.core.CopyPlan;
import io.camelvan.router.core.RouterCore;

/**
 * Sends a whole message from inside the router (a management reply, say) to an address anywhere
 * in the network, exactly as if a client had sent it unsettled, and reports its outcome.
 */
public final class LocalSender {

    private LocalSender() {
    }

    /**
     * @param loop where the outcome is reported
     * @param outcome told the outcome: the consumer's, or released / rejected when nobody can take it
     */
    public static void send(RouterCore core, Executor loop, String to, AmqpMessage message,
            Consumer<DeliveryState> outcome) {
        loop.execute(() -> {
            List<CopyPlan> plans = core.forwarder().plan(to, null);
            if (plans.isEmpty()) {
                outcome.accept(RouterCore.owner(to) != null
                    ? new Rejected(AmqpErrors.notFound("address '" + to + "' does not exist")) : Released.getInstance());
                return;
            }
            ProtonBuffer bytes = message.encode();
            MessageHead.Parsed parsed = plans.stream().anyMatch(CopyPlan::crossesRouters)
                ? MessageHead.get().parse(bytes, false) : null;
            Ingress.route(core, to, null, parsed, bytes, plans, false, true, bytes.getReadableBytes(), 0,
                new Ingress.Owner() {
                    @Override
                    public void later(Runnable task) {
                        loop.execute(task);
                    }

                    @Override
                    public void resume() {
                        // the whole message was written at once: nothing more to resume
                    }

                    @Override
                    public void outcome(DeliveryState state) {
                        outcome.accept(state);
                    }

                    @Override
                    public void finished() {
                        // nothing held: no credit window to give back
                    }
                });
        });
    }
}
