package io.camelvan.examples.hybridorders;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** A customer of the web shop: POSTs orders to cloud-a's web front, as {@code curl -d} would. */
final class WebShopClient {

    private static final List<String> ITEMS = List.of("widget", "gadget", "gizmo");

    // HTTP/1.1 as curl speaks it: the JDK's default would ask to upgrade to h2c, which an httpListener takes for a
    // protocol switch (a TCP flow to the routing key) that a van:http consumer never answers
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI orders;
    private final PrintStream console;
    private int confirmed;
    private int rejected;

    WebShopClient(int webPort, PrintStream console) {
        this.orders = URI.create("http://127.0.0.1:" + webPort + "/orders");
        this.console = console;
    }

    /** The n-th order of the demo (from 0): the items in turn, 1 to 4 of them, so that gizmos run out at the 6th. */
    static String order(int n) {
        return "{\"item\":\"" + ITEMS.get(n % ITEMS.size()) + "\",\"quantity\":" + (1 + n % 4) + "}";
    }

    /** Sends one order and shows the answer; 200 counts as confirmed, 409 as rejected, anything else fails. */
    void send(String json) {
        console.println("$ curl -s -d '" + json + "' " + orders);
        HttpRequest request = HttpRequest.newBuilder(orders).timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            console.println("  " + response.statusCode() + " " + response.body().strip());
            switch (response.statusCode()) {
                case 200 -> confirmed++;
                case 409 -> rejected++;
                default -> throw new DemoFailure("the web front answered " + response.statusCode() + ": "
                    + response.body().strip());
            }
        } catch (IOException e) {
            throw new DemoFailure("POST " + orders + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure("interrupted");
        }
    }

    int confirmed() {
        return confirmed;
    }

    int rejected() {
        return rejected;
    }
}
