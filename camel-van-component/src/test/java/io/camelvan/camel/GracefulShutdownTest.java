package io.camelvan.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.camelvan.router.Router;
import io.camelvan.router.config.ConfigLoader;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stopping a consuming CamelContext: the exchange in flight finishes and is accepted; messages that were prefetched
 * but not started go back to their producer, which sends them again to the consumer that takes over. Nothing of
 * them stays allocated.
 */
class GracefulShutdownTest {

    private Router router;
    private final List<CamelContext> contexts = new ArrayList<>();
    private NettyLeaks leaks;

    @BeforeEach
    void startRouter() {
        leaks = new NettyLeaks();
        router = Router.start(ConfigLoader.parse("site: shutdown\nlisteners:\n  - {name: amqp, host: 127.0.0.1, port: 0}\n",
            null));
    }

    @AfterEach
    void stopAll() {
        contexts.forEach(CamelContext::stop);
        router.close();
        leaks.close();
    }

    private CamelContext context(RouteBuilder routes) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        VanComponent van = new VanComponent();
        van.setUrl("amqp://127.0.0.1:" + router.port("amqp"));
        ctx.addComponent("van", van);
        if (routes != null) {
            ctx.addRoutes(routes);
        }
        ctx.start();
        contexts.add(ctx);
        return ctx;
    }

    @Test
    void inFlightExchangesFinishAndPrefetchedMessagesAreTakenOver() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Set<String> doneByFirst = ConcurrentHashMap.newKeySet();
        CamelContext first = context(new RouteBuilder() {
            @Override
            public void configure() {
                from("van:jobs?prefetch=10").process(e -> {
                    firstStarted.countDown();
                    releaseFirst.await(30, TimeUnit.SECONDS);
                    doneByFirst.add(e.getMessage().getBody(String.class));
                });
            }
        });
        CamelContext producer = context(null);
        List<CompletableFuture<Exchange>> sends = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String body = "job-" + i;
            sends.add(producer.createProducerTemplate().asyncSend("van:jobs", e -> e.getMessage().setBody(body)));
        }
        assertThat(firstStarted.await(20, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(first::stop);
        // graceful shutdown stops the consumer first (no new messages), then waits for the exchange in flight
        ServiceSupport consumer = (ServiceSupport) first.getRoutes().get(0).getConsumer();
        await().atMost(Duration.ofSeconds(20)).until(() -> consumer.isStopping() || consumer.isSuspendingOrSuspended());
        releaseFirst.countDown();
        stopping.get(30, TimeUnit.SECONDS);
        assertThat(doneByFirst).hasSize(1);

        Set<String> doneBySecond = ConcurrentHashMap.newKeySet();
        context(new RouteBuilder() {
            @Override
            public void configure() {
                from("van:jobs").process(e -> doneBySecond.add(e.getMessage().getBody(String.class)));
            }
        });
        for (CompletableFuture<Exchange> s : sends) {
            assertThat(s.get(30, TimeUnit.SECONDS).getException()).isNull();
        }
        Set<String> all = ConcurrentHashMap.newKeySet();
        all.addAll(doneByFirst);
        all.addAll(doneBySecond);
        assertThat(all).containsExactlyInAnyOrder("job-0", "job-1", "job-2", "job-3", "job-4");
        assertThat(doneBySecond).doesNotContainAnyElementsOf(doneByFirst);
        // the prefetched messages the first consumer handed back: their bytes were freed, not left to the collector
        assertThat(leaks.collected()).isEmpty();
    }
}
