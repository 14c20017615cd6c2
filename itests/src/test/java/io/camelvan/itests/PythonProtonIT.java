package io.camelvan.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interop: a router process driven by Python Qpid Proton (a C engine under a Python API), one
 * script per process. Fails, never skips, when proton is not installed.
 */
class PythonProtonIT {

    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);
    private static RouterProcess router;

    @BeforeAll
    static void startRouter() {
        PythonScript.requireProton();
        router = RouterProcess.start("python-proton");
    }

    @AfterAll
    static void stopRouter() {
        if (router != null) {
            router.close();
        }
    }

    private static String url() {
        return router.amqpUrl();
    }

    @Test
    void anycastDeliversAThousandMessagesInOrderOnceEach() {
        try (var receiver = PythonScript.start("orders-receiver", "receive.py",
                "--url", url(), "--address", "orders", "--count", "1000", "--timeout", "50");
             var sender = PythonScript.start("orders-sender", "send.py",
                "--url", url(), "--address", "orders", "--count", "1000", "--prefix", "order", "--timeout", "50")) {

            PythonScript.Result sent = sender.await(SCRIPT_TIMEOUT);
            PythonScript.Result received = receiver.await(SCRIPT_TIMEOUT);

            assertThat(sent.exitCode()).as(sent.describe()).isZero();
            assertThat(received.exitCode()).as(received.describe()).isZero();
            // settlement is end to end: every send was accepted by the Python consumer
            assertThat(sent.summary()).containsEntry("sent", 1000).containsEntry("accepted", 1000)
                .containsEntry("released", 0).containsEntry("rejected", 0).containsEntry("modified", 0);
            List<String> expected = IntStream.range(0, 1000).mapToObj(i -> i + " order-" + i).toList();
            assertThat(received.lines("MSG")).as("sequence and body of each received message, in arrival order")
                .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void requestReplyThroughADynamicReplyAddressAndTheAnonymousRelay() {
        try (var responder = PythonScript.start("responder", "responder.py",
                "--url", url(), "--address", "requests", "--count", "100", "--timeout", "50")) {
            await("responder attached").atMost(Duration.ofSeconds(20))
                .until(() -> responder.stdout().contains("READY") || !responder.isAlive());

            try (var requester = PythonScript.start("requester", "requester.py",
                    "--url", url(), "--address", "requests", "--count", "100", "--in-flight", "10",
                    "--timeout", "50")) {
                PythonScript.Result requests = requester.await(SCRIPT_TIMEOUT);
                PythonScript.Result served = responder.await(SCRIPT_TIMEOUT);

                assertThat(requests.exitCode()).as(requests.describe()).isZero();
                assertThat(served.exitCode()).as(served.describe()).isZero();
                assertThat(requests.summary()).containsEntry("requests", 100).containsEntry("replies", 100)
                    .containsEntry("mismatches", 0);
                assertThat(served.summary()).containsEntry("served", 100);

                List<String> replyTo = requests.lines("REPLY_TO");
                assertThat(replyTo).singleElement().asString().startsWith("_van/python-proton/temp/");
                // every request answered exactly once, with its own correlation id and body
                List<String> expected = IntStream.range(0, 100).mapToObj(i -> "req-" + i + " REQUEST " + i).toList();
                assertThat(requests.lines("REPLY")).containsExactlyInAnyOrderElementsOf(expected);
            }
        }
    }

    @Test
    void multicastGivesEveryReceiverEveryMessage() {
        List<PythonScript.Running> receivers = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                receivers.add(PythonScript.start("prices-receiver-" + i, "receive.py",
                    "--url", url(), "--address", "events.prices", "--until-end", "--timeout", "50"));
            }
            // a multicast sender must not start before all three are attached, or the early messages miss some
            await("three consumers of events.prices").atMost(Duration.ofSeconds(20))
                .until(() -> router.metric("van_address_consumers", "address", "events.prices").orElse(0) == 3
                    || receivers.stream().anyMatch(r -> !r.isAlive()));

            PythonScript.Result sent;
            try (var sender = PythonScript.start("prices-sender", "send.py",
                    "--url", url(), "--address", "events.prices", "--count", "100", "--prefix", "price",
                    "--end-marker", "--timeout", "50")) {
                sent = sender.await(SCRIPT_TIMEOUT);
            }
            assertThat(sent.exitCode()).as(sent.describe()).isZero();
            assertThat(sent.summary()).containsEntry("sent", 100).containsEntry("accepted", 100);

            List<String> expected = IntStream.range(0, 100).mapToObj(i -> i + " price-" + i).toList();
            for (PythonScript.Running receiver : receivers) {
                PythonScript.Result received = receiver.await(SCRIPT_TIMEOUT);
                assertThat(received.exitCode()).as(received.describe()).isZero();
                // everything before the END marker: exactly the 100 messages, in order, no duplicates
                assertThat(received.lines("MSG")).as(received.name()).containsExactlyElementsOf(expected);
                assertThat(received.stdout()).as(received.name()).contains("END");
            }
        } finally {
            receivers.forEach(PythonScript.Running::close);
        }
    }
}
