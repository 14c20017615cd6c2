package io.camelvan.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.camelvan.router.Router;
import io.camelvan.router.config.ConfigLoader;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** An external router goes away and comes back: the health check follows, consumers and producers carry on. */
class RouterRestartTest {

    @Test
    void consumersAndProducersSurviveARouterRestart() throws Exception {
        int port = TestSites.freePort();
        String yaml = "site: restart\nlisteners:\n  - {name: amqp, host: 127.0.0.1, port: " + port + "}\n";
        Router router = Router.start(ConfigLoader.parse(yaml, null));
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        CamelContext context = new DefaultCamelContext();
        VanComponent van = new VanComponent();
        van.setUrl("amqp://127.0.0.1:" + port);
        van.setMaxReconnectDelay(200);
        context.addComponent("van", van);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("van:events").process(e -> received.add(e.getMessage().getBody(String.class)));
            }
        });
        context.start();
        try {
            ProducerTemplate template = context.createProducerTemplate();
            HealthCheck check = HealthCheckRegistry.get(context).getCheck("van").orElseThrow();
            template.sendBody("van:events", "before");
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("before");
            assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);

            router.close();
            await().atMost(Duration.ofSeconds(20)).until(() -> check.call().getState() == HealthCheck.State.DOWN);

            router = Router.start(ConfigLoader.parse(yaml, null));
            await().atMost(Duration.ofSeconds(20)).until(() -> check.call().getState() == HealthCheck.State.UP);
            // the producer's send waits for credit until the re-attached consumer is known again
            template.sendBody("van:events", "after");
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("after");
        } finally {
            context.stop();
            router.close();
        }
    }
}
