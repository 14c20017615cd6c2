package io.camelvan.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.camelvan.router.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With an embedded router, {@code van:ADDRESS} and {@code van:http:KEY} endpoints hand their messages to the router
 * in-process: no AMQP link,
 * and the same behaviour as over one (waiting for a consumer, outcomes, release on stop, large messages).
 */
class InProcessMessagingTest {

    @TempDir
    Path dir;

    private final List<CamelContext> contexts = new ArrayList<>();

    @AfterEach
    void stop() {
        contexts.forEach(CamelContext::stop);
    }

    private CamelContext embedded(String site, RouteBuilder routes) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        VanComponent van = new VanComponent();
        van.setEmbedded(true);
        van.setSite(site);
        context.addComponent("van", van);
        contexts.add(context);
        context.addRoutes(routes);
        context.start();
        return context;
    }

    private static Router router(CamelContext context) {
        return ((VanComponent) context.getComponent("van")).embeddedRouter();
    }

    @Test
    void messageEndpointsOpenNoAmqpLinkAndGetOutcomesAndReplies() throws Exception {
        Set<String> received = ConcurrentHashMap.newKeySet();
        CamelContext context = embedded("in-process", new RouteBuilder() {
            @Override
            public void configure() {
                from("van:orders?concurrentConsumers=2").process(e -> received.add(e.getMessage().getBody(String.class)));
                from("van:quotes").setBody(simple("quote for ${body}"));
                from("van:refused?rejectOnError=true").throwException(new IllegalStateException("no"));
            }
        });
        var template = context.createProducerTemplate();
        for (int i = 0; i < 100; i++) {
            template.sendBody("van:orders", "order-" + i);
        }
        // InOnly returns once the consumer accepted: everything is there already
        assertThat(received).hasSize(100);
        assertThat(template.requestBody("van:quotes", "apples", String.class)).isEqualTo("quote for apples");
        Exchange rejected = template.send("van:refused", e -> e.getMessage().setBody("x"));
        assertThat(rejected.getException()).isInstanceOf(VanDeliveryException.class)
            .hasMessageContaining("rejected");
        assertThat(router(context).core().metrics().linksActive.sum()).isZero();
        assertThat(router(context).core().addresses().metrics().get("orders").in()).isEqualTo(100);
    }

    @Test
    void httpEndpointsOpenNoAmqpLinkEither() throws Exception {
        CamelContext context = embedded("in-process-http", new RouteBuilder() {
            @Override
            public void configure() {
                from("van:http:shop/api").setBody(simple("${header.CamelHttpMethod} ${header.CamelHttpPath}"))
                    .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(201));
            }
        });
        Exchange reply = context.createProducerTemplate().request("van:http:shop/api?throwExceptionOnFailure=false",
            e -> e.getMessage().setHeader(Exchange.HTTP_PATH, "/items"));
        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(201);
        assertThat(reply.getMessage().getBody(String.class)).isEqualTo("GET /items");
        Exchange missing = context.createProducerTemplate().request("van:http:shop/elsewhere?throwExceptionOnFailure=false",
            e -> { });
        assertThat(missing.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(404);
        assertThat(router(context).core().metrics().linksActive.sum()).isZero();
    }

    @Test
    void anHttpListenerOfTheSameRouterReachesAnInProcessHttpConsumer() throws Exception {
        TestSites sites = new TestSites(dir);
        int port = TestSites.freePort();
        sites.site("web").extraYaml = "httpListeners:\n  - {name: api, routingKey: api, host: 127.0.0.1, port: "
            + port + "}\n";
        CamelContext web = sites.site("web").start(new RouteBuilder() {
            @Override
            public void configure() {
                from("van:http:api").setBody(simple("echo ${body}"));
            }
        });
        contexts.add(web);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = client.send(HttpRequest
            .newBuilder(URI.create("http://127.0.0.1:" + port + "/items"))
            .POST(HttpRequest.BodyPublishers.ofString("apples")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("echo apples");
    }

    @Test
    void aMessageOfManyFramesCrossesTheLinkWhole() throws Exception {
        TestSites sites = new TestSites(dir);
        sites.link("a", "b");
        AtomicReference<byte[]> got = new AtomicReference<>();
        sites.site("b").start(new RouteBuilder() {
            @Override
            public void configure() {
                from("van:blobs").process(e -> got.set(e.getMessage().getBody(byte[].class)));
            }
        });
        contexts.add(sites.site("b").context);
        CamelContext a = sites.site("a").start();
        contexts.add(a);
        byte[] blob = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(blob);
        // the first send waits until B's consumer is known at A
        a.createProducerTemplate().sendBody("van:blobs", blob);
        assertThat(got.get()).isEqualTo(blob);
    }

    @Test
    void anEmbeddedEdgeRouterSendsAndConsumesThroughItsInteriorRouter() throws Exception {
        TestSites sites = new TestSites(dir);
        sites.edge("shop", "hub");
        Set<String> atHub = ConcurrentHashMap.newKeySet();
        Set<String> atShop = ConcurrentHashMap.newKeySet();
        CamelContext hub = sites.site("hub").start(new RouteBuilder() {
            @Override
            public void configure() {
                from("van:orders").process(e -> atHub.add(e.getMessage().getBody(String.class)));
                from("direct:restock").to("van:restock");
            }
        });
        contexts.add(hub);
        CamelContext shop = sites.site("shop").start(new RouteBuilder() {
            @Override
            public void configure() {
                from("van:restock").process(e -> atShop.add(e.getMessage().getBody(String.class)));
                from("van:stock").setBody(simple("stock of ${body}: 7"));
            }
        });
        contexts.add(shop);
        // each first send waits until the other side's consumer is known
        shop.createProducerTemplate().sendBody("van:orders", "order from the shop");
        hub.createProducerTemplate().sendBody("direct:restock", "restock the shop");
        assertThat(atHub).containsExactly("order from the shop");
        assertThat(atShop).containsExactly("restock the shop");
        assertThat(hub.createProducerTemplate().requestBody("van:stock", "apples", String.class))
            .isEqualTo("stock of apples: 7");
    }

    @Test
    void aSendWaitsForAConsumerAndSaysSoWhenNoneComes() throws Exception {
        CamelContext context = embedded("waiting", new RouteBuilder() {
            @Override
            public void configure() {
                from("van:late").routeId("late").autoStartup(false).to("mock:late");
            }
        });
        var template = context.createProducerTemplate();
        Exchange failed = template.send("van:nobody?requestTimeout=300", e -> e.getMessage().setBody("x"));
        assertThat(failed.getException()).isInstanceOf(VanDeliveryException.class)
            .hasMessageContaining("no consumer of 'nobody' became reachable within 300 ms");

        CompletableFuture<Exchange> waiting = template.asyncSend("van:late?requestTimeout=20000",
            e -> e.getMessage().setBody("worth the wait"));
        context.getRouteController().startRoute("late");
        assertThat(waiting.get(20, TimeUnit.SECONDS).getException()).isNull();
    }

    @Test
    void aStoppedConsumerFinishesItsExchangeAndHandsBackTheRest() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Set<String> doneByFirst = ConcurrentHashMap.newKeySet();
        Set<String> doneBySecond = ConcurrentHashMap.newKeySet();
        CamelContext context = embedded("handing-back", new RouteBuilder() {
            @Override
            public void configure() {
                from("van:jobs?prefetch=10").routeId("first").process(e -> {
                    firstStarted.countDown();
                    releaseFirst.await(30, TimeUnit.SECONDS);
                    doneByFirst.add(e.getMessage().getBody(String.class));
                });
                from("van:jobs").routeId("second").autoStartup(false)
                    .process(e -> doneBySecond.add(e.getMessage().getBody(String.class)));
            }
        });
        var template = context.createProducerTemplate();
        List<CompletableFuture<Exchange>> sends = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String body = "job-" + i;
            sends.add(template.asyncSend("van:jobs?resendDelay=50", e -> e.getMessage().setBody(body)));
        }
        assertThat(firstStarted.await(20, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> router(context).core().addresses().lookup("jobs")
            .consumers()[0].outstanding() == 5);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            try {
                context.getRouteController().stopRoute("first", 30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> router(context).core().addresses().lookup("jobs") == null
            || router(context).core().addresses().lookup("jobs").consumers().length == 0);
        releaseFirst.countDown();
        stopping.get(30, TimeUnit.SECONDS);
        context.getRouteController().startRoute("second");
        for (CompletableFuture<Exchange> s : sends) {
            assertThat(s.get(30, TimeUnit.SECONDS).getException()).isNull();
        }
        assertThat(doneByFirst).hasSize(1);
        Set<String> all = ConcurrentHashMap.newKeySet();
        all.addAll(doneByFirst);
        all.addAll(doneBySecond);
        assertThat(all).containsExactlyInAnyOrder("job-0", "job-1", "job-2", "job-3", "job-4");
        assertThat(doneBySecond).doesNotContainAnyElementsOf(doneByFirst);
    }

    @Test
    void theRoutersOwnAddressesAreRefusedByName() {
        assertThatThrownBy(() -> embedded("reserved", new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:in").to("van:_van/other/temp/1");
            }
        })).isInstanceOf(FailedToStartRouteException.class)
            .rootCause().hasMessageContaining("'_van/other/temp/1' is an address the router keeps for itself");
    }

    @Test
    void fireAndForgetSendsAreAcceptedWithoutWaiting() throws Exception {
        CountDownLatch all = new CountDownLatch(500);
        CamelContext context = embedded("fire", new RouteBuilder() {
            @Override
            public void configure() {
                from("van:events?concurrentConsumers=2").process(e -> all.countDown());
            }
        });
        var template = context.createProducerTemplate();
        for (int i = 0; i < 500; i++) {
            template.sendBody("van:events?fireAndForget=true", ExchangePattern.InOnly.name() + i);
        }
        assertThat(all.await(20, TimeUnit.SECONDS)).isTrue();
    }
}
