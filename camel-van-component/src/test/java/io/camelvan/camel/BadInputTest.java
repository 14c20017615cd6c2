package io.camelvan.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unknown options, malformed URIs, an unreachable router, bodies AMQP cannot carry: each a clear error. */
class BadInputTest {

    @TempDir
    Path dir;

    private CamelContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.stop();
        }
    }

    private CamelContext embedded() {
        context = new DefaultCamelContext();
        VanComponent van = new VanComponent();
        van.setEmbedded(true);
        van.setSite("bad-input");
        context.addComponent("van", van);
        return context;
    }

    @Test
    void anUnknownOptionIsNamed() {
        CamelContext ctx = embedded();
        ctx.start();
        assertThatThrownBy(() -> ctx.getEndpoint("van:orders?prefetsh=10"))
            .isInstanceOf(ResolveEndpointFailedException.class)
            .hasMessageContaining("prefetsh");
    }

    @Test
    void malformedUrisSayWhatIsExpected() {
        CamelContext ctx = embedded();
        ctx.start();
        assertThatThrownBy(() -> ctx.getEndpoint("van:"))
            .isInstanceOf(ResolveEndpointFailedException.class);
        assertThatThrownBy(() -> ctx.getEndpoint("van://?prefetch=5"))
            .isInstanceOf(ResolveEndpointFailedException.class)
            .hasMessageContaining("use van:ADDRESS");
        assertThatThrownBy(() -> ctx.getEndpoint("van:http:"))
            .hasMessageContaining("use van:http:KEY[/path]");
        assertThatThrownBy(() -> ctx.getEndpoint("van:tcp:db/x"))
            .hasMessageContaining("a TCP routing key has no path");
        assertThatThrownBy(() -> ctx.getEndpoint("van:tcp:db?codec=xml"))
            .isInstanceOf(ResolveEndpointFailedException.class)
            .hasMessageContaining("xml");
        assertThatThrownBy(() -> ctx.getEndpoint("van:orders?prefetch=lots"))
            .isInstanceOf(ResolveEndpointFailedException.class)
            .hasMessageContaining("lots");
    }

    @Test
    void anOutOfRangeOptionFailsTheRouteWithItsName() {
        CamelContext ctx = embedded();
        ctx.start();
        assertThatThrownBy(() -> ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("van:orders?concurrentConsumers=0").log("never");
            }
        })).hasStackTraceContaining("concurrentConsumers must be 1 or more, not 0");
    }

    @Test
    void aBodyAmqpCannotCarryIsRefusedByName() {
        CamelContext ctx = embedded();
        ctx.start();
        var template = ctx.createProducerTemplate();
        Exchange plain = template.send("van:anywhere", e -> e.getMessage().setBody(new Object()));
        assertThat(plain.getException()).isInstanceOf(UnsupportedBodyException.class)
            .hasMessageContaining("java.lang.Object").hasMessageContaining("van://anywhere");
        Exchange nested = template.send("van:anywhere", e -> e.getMessage().setBody(Map.of("k", new Object())));
        assertThat(nested.getException()).isInstanceOf(UnsupportedBodyException.class);
    }

    @Test
    void aMissingSiteFileStopsTheStartWithItsName() {
        context = new DefaultCamelContext();
        VanComponent van = new VanComponent();
        van.setEmbedded(true);
        van.setSiteConfig("file:" + dir.resolve("nowhere.yaml"));
        context.addComponent("van", van);
        assertThatThrownBy(context::start).hasStackTraceContaining("nowhere.yaml: no such file");
    }

    @Test
    void aUrlThatIsNotAmqpStopsTheStart() {
        context = new DefaultCamelContext();
        VanComponent van = new VanComponent();
        van.setUrl("http://127.0.0.1:8080");
        context.addComponent("van", van);
        assertThatThrownBy(context::start).hasStackTraceContaining("must start with amqp:// or amqps://");
    }

    @Test
    void anUnreachableRouterIsRetriedNotFatal() throws Exception {
        context = new DefaultCamelContext();
        VanComponent van = new VanComponent();
        van.setUrl("amqp://127.0.0.1:" + TestSites.freePort());
        context.addComponent("van", van);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("van:orders").log("${body}");
            }
        });
        // starts: the connection keeps trying in the background
        context.start();
        assertThat(context.getRouteController().getRouteStatus(context.getRoutes().get(0).getId()).isStarted()).isTrue();
        HealthCheck.Result health = HealthCheckRegistry.get(context).getCheck("van").orElseThrow().call();
        assertThat(health.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(health.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("not connected to the VAN router"));
        Exchange sent = context.createProducerTemplate().send("van:orders?requestTimeout=500",
            e -> e.getMessage().setBody("lost?"));
        assertThat(sent.getException()).isInstanceOf(VanDeliveryException.class)
            .hasMessageContaining("is not reachable");
    }
}
