package io.camelvan.router.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.ReceiverOptions;
import org.apache.qpid.protonj2.client.Sender;
import org.apache.qpid.protonj2.client.Tracker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.camelvan.router.Router;
import io.camelvan.router.TestRouters;

/** The admin port answers /healthz and /metrics, and the counters move with the traffic. */
class AdminServerTest {

    private static Router router;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        router = TestRouters.start("metered", "");
    }

    @AfterAll
    static void stop() {
        router.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.adminPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzSaysUp() throws Exception {
        HttpResponse<String> r = get("/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"status\":\"up\"").contains("\"router\":\"metered\"");
        assertThat(get("/nowhere").statusCode()).isEqualTo(404);
    }

    @Test
    void deliveryCountersFollowTheTraffic() throws Exception {
        try (Client client = Client.create();
             Connection c = client.connect("127.0.0.1", router.port("amqp"))) {
            Receiver receiver = c.openReceiver("metered.orders", new ReceiverOptions().autoAccept(false));
            receiver.openFuture().get(5, TimeUnit.SECONDS);
            Sender sender = c.openSender("metered.orders");
            Tracker[] trackers = new Tracker[10];
            for (int i = 0; i < 10; i++) {
                trackers[i] = sender.send(Message.create("order " + i));
            }
            for (int i = 0; i < 10; i++) {
                var d = receiver.receive(5, TimeUnit.SECONDS);
                if (i < 7) {
                    d.accept();
                } else {
                    d.reject("app:no", "no");
                }
            }
            for (Tracker t : trackers) {
                t.awaitSettlement(5, TimeUnit.SECONDS);
            }
            String metrics = get("/metrics").body();
            String labels = "{router=\"metered\",site=\"metered\",address=\"metered.orders\"";
            assertThat(metrics)
                .contains("# TYPE van_address_deliveries_in_total counter")
                .contains("van_address_deliveries_in_total" + labels + "} 10")
                .contains("van_address_deliveries_out_total" + labels + "} 10")
                .contains("van_address_outcomes_total" + labels + ",outcome=\"accepted\"} 7")
                .contains("van_address_outcomes_total" + labels + ",outcome=\"rejected\"} 3")
                .contains("van_address_consumers" + labels + "} 1")
                .contains("van_connections_active{router=\"metered\",site=\"metered\"} 1")
                .contains("van_links_active{router=\"metered\",site=\"metered\"} 2");
        }
    }
}
