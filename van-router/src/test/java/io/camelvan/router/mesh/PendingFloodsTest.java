package io.camelvan.router.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.util.concurrent.DefaultEventExecutor;

class PendingFloodsTest {

    /** What went out: the message and the neighbours it was not to be sent to. */
    private record Sent(ControlMessage message, Set<String> except) {
    }

    private final DefaultEventExecutor control = new DefaultEventExecutor();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final PendingFloods floods = new PendingFloods(control, (m, except) -> sent.add(new Sent(m, Set.copyOf(except))));

    @AfterEach
    void stop() {
        control.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void neighboursThatSentTheSameUpdateMeanwhileAreNotSentItBack() throws Exception {
        ControlMessage lsu = update(ControlMessage.LSU, "r9", 1, 4);
        onControlThread(() -> {
            floods.add(lsu, "n1", true);
            floods.alsoHeldBy(update(ControlMessage.LSU, "r9", 1, 4), "n2");
            floods.alsoHeldBy(update(ControlMessage.LSU, "r9", 1, 3), "n3"); // an older one: n3 may lack seq 4
            floods.alsoHeldBy(update(ControlMessage.LSU, "r9", 2, 4), "n4"); // another instance of r9
        });
        assertThat(sent).containsExactly(new Sent(lsu, Set.of("r9", "n1", "n2")));
    }

    @Test
    void aLinkStateSupersededBeforeItWentOutIsNotSentButAddressDifferencesAllGoInOrder() throws Exception {
        ControlMessage lsu3 = update(ControlMessage.LSU, "r9", 1, 3);
        ControlMessage lsu4 = update(ControlMessage.LSU, "r9", 1, 4);
        ControlMessage otherLsu = update(ControlMessage.LSU, "r8", 1, 7);
        ControlMessage mau1 = update(ControlMessage.MAU, "r9", 1, 1);
        ControlMessage mau2 = update(ControlMessage.MAU, "r9", 1, 2);
        onControlThread(() -> {
            floods.add(lsu3, "n1", true);
            floods.add(mau1, "n1", false);
            floods.add(otherLsu, "n2", true);
            floods.add(mau2, "n1", false);
            floods.add(lsu4, "n2", true);
        });
        assertThat(sent).extracting(Sent::message).containsExactly(mau1, otherLsu, mau2, lsu4);
        assertThat(sent.get(3).except()).isEqualTo(Set.of("r9", "n2"));
    }

    @Test
    void anUpdateAfterTheFloodWentOutIsPassedOnAgain() throws Exception {
        ControlMessage first = update(ControlMessage.LSU, "r9", 1, 1);
        ControlMessage second = update(ControlMessage.LSU, "r9", 1, 2);
        onControlThread(() -> floods.add(first, "n1", true));
        onControlThread(() -> floods.add(second, "n1", true));
        assertThat(sent).extracting(Sent::message).containsExactly(first, second);
    }

    /** Runs a task on the control thread, then waits until what it queued there (the flood) has run too. */
    private void onControlThread(Runnable task) throws Exception {
        control.submit(task).get(5, TimeUnit.SECONDS);
        control.submit(() -> { }).get(5, TimeUnit.SECONDS);
    }

    private static ControlMessage update(String opcode, String origin, long instance, long seq) {
        return new ControlMessage(opcode, Map.of("id", origin, "instance", instance, "seq", seq));
    }
}
