package io.camelvan.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.camelvan.router.Router;
import io.camelvan.router.adaptor.ServiceListener;
import io.camelvan.router.config.ServiceType;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Camel routes meet the routers' own TCP and HTTP listeners and connectors across two embedded sites: site a has an
 * httpListener and a tcpListener served by {@code van:http} and {@code van:tcp} consumer routes on site b, and
 * {@code van:http} and {@code van:tcp} producer routes served by an httpConnector (the JDK's HTTP server) and a
 * tcpConnector (a line echo server) on site b. The listener's flow records name the Camel route that served them.
 */
class ListenersAndConnectorsTest {

    @TempDir
    static Path dir;

    private static HttpServer jdkServer;
    private static ServerSocket echoServer;
    private static final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private static TestSites sites;
    private static ProducerTemplate a;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        jdkServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        jdkServer.setExecutor(serverThreads);
        jdkServer.createContext("/stock", e -> {
            byte[] body = ("stock of " + e.getRequestURI().getQuery() + " for order " + e.getRequestHeaders().getFirst("x-order")
                + ": " + new String(e.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            e.getResponseHeaders().set("X-Warehouse", "b");
            e.getResponseHeaders().set("Content-Type", "text/plain");
            e.sendResponseHeaders(200, body.length);
            try (OutputStream out = e.getResponseBody()) {
                out.write(body);
            }
        });
        jdkServer.start();
        echoServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        serverThreads.execute(ListenersAndConnectorsTest::acceptEchoClients);

        sites = new TestSites(dir);
        sites.link("a", "b");
        sites.site("a").extraYaml = """
            httpListeners: [{name: orders-in, routingKey: camel-orders, port: 0}]
            tcpListeners: [{name: shout-in, routingKey: camel-shout, port: 0}]
            """;
        sites.site("b").extraYaml = "httpConnectors: [{name: warehouse, routingKey: stock, port: "
            + jdkServer.getAddress().getPort() + "}]\n"
            + "tcpConnectors: [{name: echo, routingKey: line-echo, port: " + echoServer.getLocalPort() + "}]\n";
        sites.site("b").start(new RouteBuilder() {
            @Override
            public void configure() {
                from("van:http:camel-orders").routeId("orders")
                    .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(201))
                    .setHeader("x-served-by", simple("${camelContext.name}"))
                    .setBody(simple("${header.CamelHttpMethod} ${header.CamelHttpPath}?${header.CamelHttpQuery}: ${body}"));
                from("van:tcp:camel-shout").routeId("shout")
                    .setBody(simple("${body.toUpperCase()}"));
            }
        });
        sites.site("a").start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:stock").to("van:http:stock");
                from("direct:echo").to(ExchangePattern.InOut, "van:tcp:line-echo");
            }
        });
        a = sites.site("a").context.createProducerTemplate();
        await().atMost(Duration.ofSeconds(20)).until(() -> reaches("camel-orders") && reaches("camel-shout")
            && reaches("stock") && reaches("line-echo"));
    }

    /** Echoes each connection's bytes until the client ends its side. */
    private static void acceptEchoClients() {
        while (!echoServer.isClosed()) {
            try {
                Socket socket = echoServer.accept();
                serverThreads.execute(() -> {
                    try (socket) {
                        socket.getInputStream().transferTo(socket.getOutputStream());
                        socket.shutdownOutput();
                    } catch (IOException e) {
                        // the client went away: nothing more to echo
                    }
                });
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        sites.close();
        jdkServer.stop(0);
        echoServer.close();
        serverThreads.shutdownNow();
    }

    private static Router routerOf(String site) {
        return ((VanComponent) sites.site(site).context.getComponent("van")).embeddedRouter();
    }

    private static boolean reaches(String key) {
        var address = routerOf("a").core().addresses().lookup(key);
        return address != null && address.isReachable();
    }

    private static int listenerPort(ServiceType type, String name) {
        return ((ServiceListener) routerOf("a").adaptors().get(type, name)).port();
    }

    /** The flow records of site a's router for the routing key, once there is one. */
    private static Map<String, Object> flowRecord(String routingKey) {
        List<Map<String, Object>> records = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            records.clear();
            records.addAll(routerOf("a").management().call("QUERY", "flow", null, Map.of("routingKey", routingKey))
                .get(5, TimeUnit.SECONDS).entities());
            return !records.isEmpty();
        });
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    @Test
    void anHttpListenerIsServedByAVanHttpConsumerRoute() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + listenerPort(ServiceType.HTTP_LISTENER, "orders-in") + "/orders/7?rush=yes"))
            .POST(HttpRequest.BodyPublishers.ofString("3 apples")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("x-served-by")).hasValue("b");
        assertThat(response.body()).isEqualTo("POST /orders/7?rush=yes: 3 apples");
        assertThat(response.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("van.flow"));

        Map<String, Object> record = flowRecord("camel-orders");
        assertThat(record).containsEntry("protocol", "http").containsEntry("sourceSite", "a")
            .containsEntry("listener", "orders-in").containsEntry("destinationSite", "b")
            .containsEntry("destinationRouter", routerOf("b").core().routerId()).containsEntry("connector", "route:orders")
            .containsEntry("outcome", "completed").containsEntry("httpStatus", 201)
            .containsEntry("bytesFromClient", 8L).containsEntry("bytesFromServer", (long) response.body().length());
    }

    @Test
    void aVanHttpProducerRouteIsServedByAnHttpConnector() {
        Exchange reply = a.request("direct:stock", e -> {
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
            e.getMessage().setHeader(Exchange.HTTP_PATH, "/stock");
            e.getMessage().setHeader(Exchange.HTTP_QUERY, "item=pears");
            e.getMessage().setHeader("x-order", "42");
            e.getMessage().setBody("how many?");
        });

        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(reply.getMessage().getHeader("x-warehouse")).isEqualTo("b");
        assertThat(reply.getMessage().getHeaders().keySet()).noneMatch(h -> h.startsWith("van.flow"));
        assertThat(reply.getMessage().getBody(String.class)).isEqualTo("stock of item=pears for order 42: how many?");
    }

    @Test
    void aTcpListenerIsServedByAVanTcpConsumerRoute() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", listenerPort(ServiceType.TCP_LISTENER, "shout-in"))) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out.write("hello\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("HELLO");
            out.write("over the link\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("OVER THE LINK");
            socket.shutdownOutput();
            assertThat(in.read()).isEqualTo(-1);
        }

        Map<String, Object> record = flowRecord("camel-shout");
        assertThat(record).containsEntry("protocol", "tcp").containsEntry("listener", "shout-in")
            .containsEntry("destinationSite", "b").containsEntry("connector", "route:shout")
            .containsEntry("outcome", "completed").containsEntry("bytesFromClient", 20L)
            .containsEntry("bytesFromServer", 20L);
    }

    @Test
    void aVanTcpProducerRouteIsServedByATcpConnector() {
        assertThat(a.requestBody("direct:echo", "ping", String.class)).isEqualTo("ping");
        assertThat(a.requestBody("direct:echo", "pong", String.class)).isEqualTo("pong");
    }
}
