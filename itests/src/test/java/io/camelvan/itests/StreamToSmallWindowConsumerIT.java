package io.camelvan.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.ConnectionOptions;
import org.junit.jupiter.api.Test;

/**
 * A streamed message to a consumer whose TCP receive window is small (as on a slow or distant
 * link), so the router's socket to it fills and drains over and over: the router's output to that
 * consumer goes unwritable and writable again many times.
 *
 * <p>Reproduces a router bug found by {@link LargeMessageIT} (where it shows intermittently):
 * {@code AmqpConnection.channelWritabilityChanged} pumps the outbound links, which write frames
 * with {@code channel.write}, but nothing flushes them; the transfer then stands still until the
 * next read on that connection flushes (in practice the consumer's idle-timeout heartbeat, every
 * 8 s with the default {@code idleTimeout: 16s}). With {@code idleTimeout: 0} it never resumes.
 */
class StreamToSmallWindowConsumerIT {

    private static final int SIZE = 32 * 1000 * 1000;
    private static final int ATTEMPTS = 3;
    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final double MAX_STALL_SECONDS = 3;
    private static final int CONSUMER_RECEIVE_BUFFER = 16 * 1024;

    private static ConnectionOptions smallReceiveWindow() {
        ConnectionOptions options = new ConnectionOptions();
        options.transportOptions().receiveBufferSize(CONSUMER_RECEIVE_BUFFER);
        return options;
    }

    @Test
    void streamsToAConsumerWithASmallTcpWindowKeepMoving() throws Exception {
        try (RouterProcess router = RouterProcess.start("small-window-consumer");
             Client client = Client.create()) {
            // the stall needs a particular interleaving: a few attempts, on fresh connections, make it near certain
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                try (Connection producer = client.connect("127.0.0.1", router.amqpPort());
                     Connection consumer = client.connect("127.0.0.1", router.amqpPort(), smallReceiveWindow())) {
                    StreamTransfer.Result transfer =
                        StreamTransfer.run(producer, consumer, "small-window-" + attempt, SIZE, DEADLINE);
                    String what = "attempt " + attempt + ": " + transfer.describe();
                    System.out.printf("StreamToSmallWindowConsumerIT: %s%n", what);

                    assertThat(transfer.completed()).as(what).isTrue();
                    assertThat(transfer.digestsMatch()).as(what).isTrue();
                    assertThat(transfer.accepted()).as(what).isTrue();
                    assertThat(transfer.longestStallSeconds()).as("longest time nothing arrived; " + what)
                        .isLessThan(MAX_STALL_SECONDS);
                }
            }
        }
    }
}
