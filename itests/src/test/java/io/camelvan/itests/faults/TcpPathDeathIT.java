package io.camelvan.itests.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * TCP flows whose path dies: a tcpListener on a, a tcpConnector on c to an echo server, in the
 * square of {@link SiteNetwork#square} (flows go a-b-c). kill -9 of b must end every flow on
 * both ends (the client sees EOF or a reset, the server too: nothing hangs), and new flows must
 * get through on a-d-c within {@link #NEW_FLOW_BOUND}.
 */
class TcpPathDeathIT {

    private static final int FLOWS = 10;
    private static final Duration NEW_FLOW_BOUND = Duration.ofSeconds(2);
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void flowsOnADeadPathCloseOnBothEndsAndNewFlowsTakeAnotherPath() throws Exception {
        FaultReport report = new FaultReport("tcp-path-death");
        List<Socket> flows = new ArrayList<>();
        SiteNetwork square = SiteNetwork.square(dir, "tcp-death");
        int listenerPort = square.freePort();
        try (EchoServer echo = new EchoServer();
             SiteNetwork net = square
                 .with("a", "tcpListeners: [{name: echo, routingKey: echo, host: 127.0.0.1, port: " + listenerPort + "}]")
                 .with("c", "tcpConnectors: [{name: echo, routingKey: echo, host: 127.0.0.1, port: " + echo.port() + "}]")
                 .startAll()) {
            // the test is about a path dying, not about a network still forming: a knows every router first
            await("a reaches b, c and d").atMost(Duration.ofSeconds(60))
                .until(() -> net.router("a").metric("van_routers_reachable").orElse(0) == 3);
            await("a flow through the network").atMost(Duration.ofSeconds(60)).until(() -> EchoServer.flowWorks(listenerPort));

            AtomicLongArray endedAt = new AtomicLongArray(FLOWS);
            List<Thread> watchers = new ArrayList<>();
            for (int i = 0; i < FLOWS; i++) {
                Socket flow = EchoServer.openFlow(listenerPort, Duration.ofSeconds(10));
                flows.add(flow);
                int index = i;
                Thread watcher = new Thread(() -> endedAt.set(index, awaitEnd(flow)), "flow-watcher-" + i);
                watcher.setDaemon(true);
                watchers.add(watcher);
            }
            await("the server sees the flows, and only them").atMost(Duration.ofSeconds(10))
                .until(() -> echo.openConnections() == FLOWS);
            long throughB = net.router("b").metricValue("van_address_deliveries_in_total", "address", "echo");
            assertThat(throughB).as("flows go a-b-c before the kill").isPositive();
            watchers.forEach(Thread::start);

            long killedAt = System.nanoTime();
            net.router("b").kill9();
            AtomicLong attempts = new AtomicLong();
            await("a new flow after kill -9 of b").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    attempts.incrementAndGet();
                    return EchoServer.flowWorks(listenerPort);
                });
            long newFlowMs = (System.nanoTime() - killedAt) / 1_000_000;
            AtomicLong serverClosedMs = new AtomicLong(-1);
            await("flows on the dead path end on both sides").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    boolean allEnded = IntStream.range(0, FLOWS).allMatch(i -> endedAt.get(i) != 0)
                        && echo.openConnections() == 0;
                    if (echo.openConnections() == 0) {
                        serverClosedMs.compareAndSet(-1, (System.nanoTime() - killedAt) / 1_000_000);
                    }
                    return allEnded;
                });
            long clientClosedMs = (IntStream.range(0, FLOWS).mapToLong(endedAt::get).max().orElseThrow() - killedAt)
                / 1_000_000;
            long throughD = net.router("d").metricValue("van_address_deliveries_in_total", "address", "echo");

            report.line("square a-b-c (cost 2) / a-d-c (cost 4); tcpListener on a, tcpConnector on c to an echo server");
            report.line("%d flows open through b, kill -9 of b", FLOWS);
            report.line("every client side ended (EOF or reset) %d ms after the kill; every server side %d ms after",
                clientClosedMs, serverClosedMs.get());
            report.line("first new flow echoed %d ms after the kill (%d attempts); flows through d since: %d", newFlowMs,
                attempts.get(), throughD);
            report.write();

            assertThat(clientClosedMs).as("ms until every client side of a cut flow ended")
                .isLessThan(CLOSE_BOUND.toMillis());
            assertThat(serverClosedMs.get()).as("ms until every server side of a cut flow ended")
                .isLessThan(CLOSE_BOUND.toMillis());
            assertThat(throughD).as("new flows went a-d-c").isPositive();
            assertThat(newFlowMs).as("ms from kill -9 to the first new flow that works")
                .isLessThanOrEqualTo(NEW_FLOW_BOUND.toMillis());
        } finally {
            for (Socket flow : flows) {
                flow.close();
            }
        }
    }

    /** Blocks until the other side ends the flow; returns when (System.nanoTime). */
    private static long awaitEnd(Socket flow) {
        try (InputStream in = flow.getInputStream()) {
            while (in.read() >= 0) {
                // the echo server sends nothing unasked; read until the end
            }
        } catch (IOException e) {
            // a reset ends the flow as an EOF does
        }
        return System.nanoTime();
    }
}
