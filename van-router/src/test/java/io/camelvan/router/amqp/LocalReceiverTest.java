package io.camelvan.router.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Rejected;
import org.apache.qpid.protonj2.types.messaging.Released;
import org.apache.qpid.protonj2.types.transport.DeliveryState;
import org.junit.jupiter.api.Test;

import io.camelvan.router.core.DeliveryOrigin;
import io.camelvan.router.core.DeliveryStream;
import io.camelvan.router.core.RoutedDelivery;

/** A consumer inside the router's JVM: whole messages to its handler, and the outcome back to the sender. */
class LocalReceiverTest {

    /** Runs tasks when told, as a consumer's busy threads would. */
    private static final class HeldTasks implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.remove(0).run();
            }
        }
    }

    private static final class Outcome implements DeliveryOrigin {
        final AtomicReference<DeliveryState> state = new AtomicReference<>();

        @Override
        public void outcome(RoutedDelivery copy, DeliveryState outcome) {
            state.set(outcome);
        }

        @Override
        public void sent(RoutedDelivery copy) {
            state.set(Accepted.getInstance());
        }
    }

    private static RoutedDelivery delivery(Outcome origin) {
        return new RoutedDelivery("jobs", 0, false, false, origin, new DeliveryStream(() -> { }));
    }

    private static ProtonBuffer bytes(String text) {
        return ProtonBufferAllocator.defaultAllocator().copy(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(ProtonBuffer buffer) {
        byte[] b = new byte[buffer.getReadableBytes()];
        buffer.readBytes(b, 0, b.length);
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void aMessageOfManyChunksIsHandledWholeAndItsOutcomeGoesBack() {
        HeldTasks tasks = new HeldTasks();
        List<String> handled = new ArrayList<>();
        LocalReceiver receiver = new LocalReceiver(tasks, 1 << 20, 10, message -> {
            handled.add(text(message));
            return new Rejected(AmqpErrors.invalidField("no thanks"));
        });
        Outcome origin = new Outcome();
        RoutedDelivery d = delivery(origin);
        receiver.deliver(d);
        assertThat(receiver.outstanding()).isEqualTo(1);
        d.stream().write(bytes("one "));
        tasks.runAll(); // not complete yet: the receiver waits for more
        assertThat(handled).isEmpty();
        for (int i = 0; i < 50; i++) {
            d.stream().write(bytes("more "));
        }
        d.stream().write(bytes("end"));
        d.stream().complete();
        tasks.runAll();
        assertThat(handled).containsExactly("one " + "more ".repeat(50) + "end");
        assertThat(origin.state.get()).isInstanceOf(Rejected.class);
        assertThat(receiver.outstanding()).isZero();
    }

    @Test
    void aMessageOverTheLimitIsRejectedUnhandled() {
        HeldTasks tasks = new HeldTasks();
        List<String> handled = new ArrayList<>();
        LocalReceiver receiver = new LocalReceiver(tasks, 8, 10, message -> {
            handled.add(text(message));
            return Accepted.getInstance();
        });
        Outcome origin = new Outcome();
        RoutedDelivery d = delivery(origin);
        receiver.deliver(d);
        d.stream().write(bytes("12345"));
        d.stream().write(bytes("67890"));
        d.stream().complete();
        tasks.runAll();
        assertThat(handled).isEmpty();
        assertThat(origin.state.get()).isInstanceOf(Rejected.class);
        assertThat(((Rejected) origin.state.get()).getError().getDescription()).contains("larger than 8 bytes");
    }

    @Test
    void aClosedReceiverReleasesWhatItHasNotStartedAndSaysWhenItIsFull() {
        HeldTasks tasks = new HeldTasks();
        LocalReceiver receiver = new LocalReceiver(tasks, 1 << 20, 2, message -> Accepted.getInstance());
        Outcome first = new Outcome();
        Outcome second = new Outcome();
        RoutedDelivery a = delivery(first);
        RoutedDelivery b = delivery(second);
        receiver.deliver(a);
        assertThat(receiver.hasCapacity()).isTrue();
        receiver.deliver(b);
        assertThat(receiver.hasCapacity()).isFalse();
        a.stream().write(bytes("a"));
        a.stream().complete();
        b.stream().write(bytes("b"));
        b.stream().complete();
        receiver.close();
        tasks.runAll();
        assertThat(first.state.get()).isInstanceOf(Released.class);
        assertThat(second.state.get()).isInstanceOf(Released.class);
        assertThat(receiver.outstanding()).isZero();
    }

    @Test
    void anExecutorThatHasShutDownHandsTheDeliveryBack() {
        LocalReceiver receiver = new LocalReceiver(task -> {
            throw new RejectedExecutionException("shut down");
        }, 1 << 20, 10, message -> Accepted.getInstance());
        Outcome origin = new Outcome();
        receiver.deliver(delivery(origin));
        assertThat(origin.state.get()).isInstanceOf(Released.class);
        assertThat(receiver.outstanding()).isZero();
    }
}
