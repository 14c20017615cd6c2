package io.camelvan.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.ConnectionOptions;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.Rejected;
import org.apache.qpid.protonj2.client.exceptions.ClientConnectionSecurityException;
import org.apache.qpid.protonj2.client.exceptions.ClientLinkRemotelyClosedException;
import org.junit.jupiter.api.Test;

/** Per-listener address policies, connection limits, and password guessing slowed down. */
class PolicyAndLimitsTest {

    @Test
    void aListenerPolicyLimitsWhatItsClientsMaySendToAndReceiveFrom() throws Exception {
        String yaml = """
            site: guarded
            listeners:
              - name: amqp
                host: 127.0.0.1
                port: 0
                policy: {send: [orders, "events.*"], receive: [orders]}
            """;
        try (Router router = TestRouters.fromYaml(yaml); Client client = Client.create();
             Connection c = client.connect("127.0.0.1", router.port("amqp"))) {
            Receiver orders = c.openReceiver("orders");
            orders.openFuture().get(5, TimeUnit.SECONDS);
            var ok = c.openSender("orders").send(Message.create("allowed"));
            assertThat((String) orders.receive(5, TimeUnit.SECONDS).message().body()).isEqualTo("allowed");
            assertThat(ok.awaitSettlement(5, TimeUnit.SECONDS).remoteState().isAccepted()).isTrue();

            assertThatThrownBy(() -> c.openReceiver("secrets").openFuture().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClientLinkRemotelyClosedException.class)
                .hasMessageContaining("does not allow receiving from 'secrets'");
            assertThatThrownBy(() -> c.openSender("secrets").openFuture().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClientLinkRemotelyClosedException.class)
                .hasMessageContaining("does not allow sending to 'secrets'");
            var relayed = c.openAnonymousSender().send(Message.create("sneaky").to("secrets"));
            Rejected rejected = (Rejected) relayed.awaitSettlement(5, TimeUnit.SECONDS).remoteState();
            assertThat(rejected.getCondition()).isEqualTo("amqp:unauthorized-access");

            // replies need no rule
            Receiver replies = c.openDynamicReceiver();
            c.openAnonymousSender().send(Message.create("reply").to(replies.address()));
            assertThat((String) replies.receive(5, TimeUnit.SECONDS).message().body()).isEqualTo("reply");
        }
    }

    @Test
    void connectionsPastTheListenersLimitAreRefusedAtOnce() throws Exception {
        String yaml = """
            site: limited
            listeners:
              - {name: amqp, host: 127.0.0.1, port: 0, maxConnections: 2}
            """;
        try (Router router = TestRouters.fromYaml(yaml); Client client = Client.create()) {
            Connection first = client.connect("127.0.0.1", router.port("amqp"));
            Connection second = client.connect("127.0.0.1", router.port("amqp"));
            first.openFuture().get(5, TimeUnit.SECONDS);
            second.openFuture().get(5, TimeUnit.SECONDS);
            long refused = router.core().metrics().connectionsRefused.sum();
            try (Socket third = new Socket("127.0.0.1", router.port("amqp"))) {
                third.setSoTimeout(5000);
                assertThat(closedWithoutAnswer(third)).isTrue();
            }
            assertThat(router.core().metrics().connectionsRefused.sum()).isEqualTo(refused + 1);
            first.close();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                try (Connection again = client.connect("127.0.0.1", router.port("amqp"))) {
                    again.openFuture().get(2, TimeUnit.SECONDS);
                }
            });
            second.close();
        }
    }

    /** The router closed the socket without answering: end of stream, or a reset if our bytes arrived after. */
    private static boolean closedWithoutAnswer(Socket socket) throws java.io.IOException {
        try {
            socket.getOutputStream().write(new byte[] {'A', 'M', 'Q', 'P', 0, 1, 0, 0});
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    @Test
    void repeatedWrongPasswordsBlockLoginsFromThatAddressForAWhile() throws Exception {
        String yaml = """
            site: guessing
            listeners:
              - {name: amqp, host: 127.0.0.1, port: 0, authenticatePeer: true}
            users:
              - {name: carol, password: right-one}
            """;
        try (Router router = TestRouters.fromYaml(yaml); Client client = Client.create()) {
            for (int i = 0; i < 5; i++) {
                try (Connection c = client.connect("127.0.0.1", router.port("amqp"),
                        new ConnectionOptions().user("carol").password("guess-" + i))) {
                    assertThatThrownBy(() -> c.openFuture().get(5, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(ClientConnectionSecurityException.class);
                }
            }
            // now even the right password is refused without being checked
            try (Connection c = client.connect("127.0.0.1", router.port("amqp"),
                    new ConnectionOptions().user("carol").password("right-one"))) {
                assertThatThrownBy(() -> c.openFuture().get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ClientConnectionSecurityException.class);
            }
            assertThat(router.core().metrics().authFailures.sum()).isEqualTo(6);
        }
    }
}
