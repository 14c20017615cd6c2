package io.camelvan.itests.faults.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.ConnectionOptions;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.Rejected;
import org.junit.jupiter.api.Test;

import io.camelvan.itests.RouterProcess;

/**
 * Authentication and authorisation on router processes: password guessing over SASL PLAIN is
 * slowed to a handful of checked guesses per address and window, and a listener's address policy
 * decides what its clients may send to and receive from (attaches and the anonymous relay alike).
 * Figures: {@code target/faults/auth.txt}.
 */
class AuthAndPolicyIT {

    private static final String USERS = "users:\n  - {name: carol, password: right-one}\n";

    @Test
    void passwordGuessingIsRateLimited() throws Exception {
        FigureFile figures = new FigureFile("auth-guessing");
        String config = "site: guarded\n"
            + "listeners:\n  - {name: amqp, host: 127.0.0.1, port: 0, authenticatePeer: true}\n"
            + USERS + "admin: {host: 127.0.0.1, port: 0}\n";
        try (RouterProcess router = RouterProcess.builder("auth-guessing").config(config).jvmArgs("-Xmx96m").start();
             Client client = Client.create()) {
            int guesses = 40;
            long start = System.nanoTime();
            for (int i = 0; i < guesses; i++) {
                try (Connection c = client.connect("127.0.0.1", router.amqpPort(),
                        new ConnectionOptions().user("carol").password("guess-" + i))) {
                    assertThatThrownBy(() -> c.openFuture().get(10, TimeUnit.SECONDS)).as("guess %d", i)
                        .isInstanceOf(Exception.class);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            try (Connection right = client.connect("127.0.0.1", router.amqpPort(),
                    new ConnectionOptions().user("carol").password("right-one"))) {
                assertThatThrownBy(() -> right.openFuture().get(10, TimeUnit.SECONDS))
                    .as("the right password, from an address that is blocked now").isInstanceOf(Exception.class);
            }
            await("the failures counted").atMost(Duration.ofSeconds(10))
                .until(() -> router.metricValue("van_auth_failures_total") >= guesses + 1);
            String log = router.logText();
            long checked = count(log, "wrong user name or password for user 'carol'");
            figures.add("guesses sent", "%d in %.1f s, then the right password", guesses, seconds)
                .add("guesses whose password was checked", "%d (the rest refused unchecked for 30 s)", checked)
                .add("van_auth_failures_total", "%d", router.metricValue("van_auth_failures_total"))
                .write();
            assertThat(checked).as("passwords checked before the block").isEqualTo(5);
            assertThat(log).contains("too many failed logins from /127.0.0.1:").contains("its logins are refused for 30 s");
            assertThat(router.isAlive()).isTrue();
        }
    }

    @Test
    void aListenersAddressPolicyIsEnforced() throws Exception {
        String config = "site: policed\n"
            + "listeners:\n"
            + "  - name: amqp\n    host: 127.0.0.1\n    port: 0\n"
            + "    policy: {send: [orders, \"events.*\"], receive: [orders]}\n"
            + "admin: {host: 127.0.0.1, port: 0}\n";
        try (RouterProcess router = RouterProcess.builder("auth-policy").config(config).jvmArgs("-Xmx96m").start();
             Client client = Client.create();
             Connection c = client.connect("127.0.0.1", router.amqpPort())) {
            Receiver orders = c.openReceiver("orders");
            orders.openFuture().get(10, TimeUnit.SECONDS);
            var allowed = c.openSender("orders").send(Message.create("allowed"));
            assertThat((String) orders.receive(10, TimeUnit.SECONDS).message().body()).isEqualTo("allowed");
            assertThat(allowed.awaitSettlement(10, TimeUnit.SECONDS).remoteState().isAccepted()).isTrue();

            assertThatThrownBy(() -> c.openReceiver("secrets").openFuture().get(10, TimeUnit.SECONDS))
                .hasMessageContaining("does not allow receiving from 'secrets'");
            assertThatThrownBy(() -> c.openSender("secrets").openFuture().get(10, TimeUnit.SECONDS))
                .hasMessageContaining("does not allow sending to 'secrets'");
            var relayed = c.openAnonymousSender().send(Message.create("sneaky").to("secrets"));
            assertThat(relayed.awaitSettlement(10, TimeUnit.SECONDS).remoteState())
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.getCondition()).isEqualTo("amqp:unauthorized-access"));
            assertThat(router.logText()).contains("listener 'amqp' does not allow receiving from 'secrets'")
                .contains("listener 'amqp' does not allow sending to 'secrets'");
        }
    }

    private static long count(String text, String words) {
        return Pattern.compile(Pattern.quote(words)).matcher(text).results().count();
    }
}
