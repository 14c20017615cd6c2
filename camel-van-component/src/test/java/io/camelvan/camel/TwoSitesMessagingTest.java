package io.camelvan.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two CamelContexts in one JVM, each with an embedded router; site A's router dials site B's over mutual TLS. Routes
 * on A send to addresses whose consumers are routes on B.
 */
class TwoSitesMessagingTest {

    @TempDir
    static Path dir;

    private static TestSites sites;
    private static final Set<String> received = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger duplicates = new AtomicInteger();
    private static final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private static volatile CountDownLatch allReceived;
    private static ProducerTemplate a;

    @BeforeAll
    static void start() throws Exception {
        sites = new TestSites(dir);
        sites.link("a", "b");
        sites.site("b").start(new RouteBuilder() {
            @Override
            public void configure() {
                from("van:orders?concurrentConsumers=2").routeId("orders")
                    .process(e -> {
                        if (!received.add(e.getMessage().getBody(String.class))) {
                            duplicates.incrementAndGet();
                        }
                        allReceived.countDown();
                    });
                from("van:flaky").routeId("flaky")
                    .process(e -> {
                        String body = e.getMessage().getBody(String.class);
                        if (attempts.computeIfAbsent(body, k -> new AtomicInteger()).incrementAndGet() == 1) {
                            throw new IllegalStateException("first attempt fails: " + body);
                        }
                    });
                from("van:prices").routeId("prices")
                    .setBody(simple("price of ${body} from ${camelContext.name}"))
                    .setHeader("currency", constant("EUR"));
            }
        });
        sites.site("a").start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:orders").to("van:orders");
                from("direct:flaky").to("van:flaky");
                from("direct:flaky-request").to(ExchangePattern.InOut, "van:flaky");
                from("direct:price").to(ExchangePattern.InOut, "van:prices");
            }
        });
        a = sites.site("a").context.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        sites.close();
    }

    @Test
    void tenThousandMessagesAcrossTheLinkNoneLostNoneDuplicated() throws Exception {
        int n = 10_000;
        allReceived = new CountDownLatch(n);
        // eight synchronous senders keep the inter-router link busy: the routing protocol's hellos must
        // still get through (they share no session window with the data)
        int threads = 8;
        ExecutorService senders = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> sent = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int from = t;
                // every send returns only once B's route accepted the message (end-to-end settlement)
                sent.add(senders.submit(() -> {
                    for (int i = from; i < n; i += threads) {
                        a.sendBody("direct:orders", "order-" + i);
                    }
                }));
            }
            for (Future<?> f : sent) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            senders.shutdownNow();
        }
        assertThat(allReceived.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(received).hasSize(n);
        assertThat(duplicates.get()).isZero();
    }

    @Test
    void aFailureInTheConsumingRouteReleasesAndTheMessageIsDeliveredAgain() {
        a.sendBody("direct:flaky", "fragile-1");
        a.sendBody("direct:flaky", "fragile-2");
        // the send completed: B failed once (released), the producer sent again, B took it
        assertThat(attempts.get("fragile-1").get()).isEqualTo(2);
        assertThat(attempts.get("fragile-2").get()).isEqualTo(2);
    }

    @Test
    void aRequestWhoseRouteFailsIsReleasedSentAgainAndAnswered() {
        // B's first attempt fails: the request comes back released without a reply, and the producer sends it
        // again while its caller waits for the reply
        assertThat(a.requestBody("direct:flaky-request", "fragile-request", String.class)).isEqualTo("fragile-request");
        assertThat(attempts.get("fragile-request").get()).isEqualTo(2);
    }

    @Test
    void requestReplyAcrossTheLink() {
        org.apache.camel.Exchange reply = a.request("direct:price", e -> e.getMessage().setBody("apples"));
        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getBody(String.class)).isEqualTo("price of apples from b");
        assertThat(reply.getMessage().getHeader("currency")).isEqualTo("EUR");
        assertThat(reply.getMessage().getHeader(VanConstants.CORRELATION_ID)).isNotNull();
    }
}
