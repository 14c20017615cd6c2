package io.camelvan.itests.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.amqp.AMQPComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The same routes over camel-amqp (qpid-jms) through the broker: A sends to queues (persistent, so each send waits
 * for the broker's acknowledgement), B consumes them; InOut uses camel-jms' temporary reply queue. Each context has
 * one connection with cached sessions and producers, as camel-amqp is normally deployed.
 */
final class AmqpRoutePair implements RoutePair {

    private final CamelContext a;
    private final CamelContext b;
    private final AtomicLong consumed;
    private final int consumers;
    private final List<CachingConnectionFactory> connections;

    private AmqpRoutePair(CamelContext a, CamelContext b, AtomicLong consumed, int consumers,
                          List<CachingConnectionFactory> connections) {
        this.a = a;
        this.b = b;
        this.consumed = consumed;
        this.consumers = consumers;
        this.connections = connections;
    }

    static AmqpRoutePair start(Target broker, int consumers, int senders) throws Exception {
        AtomicLong consumed = new AtomicLong();
        List<CachingConnectionFactory> connections = new ArrayList<>();
        CamelContext b = context("amqp-b", broker, consumers, connections, new RouteBuilder() {
            @Override
            public void configure() {
                from("amqp:queue:bench.camel.inonly?concurrentConsumers=" + consumers)
                    .process(e -> consumed.incrementAndGet());
                from("amqp:queue:bench.camel.inout?concurrentConsumers=" + consumers)
                    .process(e -> { });
            }
        });
        CamelContext a = context("amqp-a", broker, senders, connections, new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:inonly").to("amqp:queue:bench.camel.inonly");
                from("direct:inout").to(ExchangePattern.InOut, "amqp:queue:bench.camel.inout");
            }
        });
        return new AmqpRoutePair(a, b, consumed, consumers, connections);
    }

    private static CamelContext context(String name, Target broker, int sessions,
                                        List<CachingConnectionFactory> connections, RouteBuilder routes)
        throws Exception {
        DefaultCamelContext ctx = new DefaultCamelContext();
        ctx.getCamelContextExtension().setName(name);
        CachingConnectionFactory cached = new CachingConnectionFactory(
            new JmsConnectionFactory("amqp://" + broker.host() + ":" + broker.port()));
        cached.setSessionCacheSize(sessions + 1);
        connections.add(cached);
        AMQPComponent amqp = new AMQPComponent();
        amqp.setConnectionFactory(cached);
        ctx.addComponent("amqp", amqp);
        ctx.addRoutes(routes);
        ctx.start();
        return ctx;
    }

    @Override
    public CamelContext sender() {
        return a;
    }

    @Override
    public long consumed() {
        return consumed.get();
    }

    @Override
    public String description() {
        return "two CamelContexts with camel-amqp (qpid-jms, cached sessions) on the broker; to(\"amqp:queue:...\")"
            + " (persistent) on A, from(\"amqp:queue:...?concurrentConsumers=" + consumers + "\") on B; InOut with"
            + " a temporary reply queue";
    }

    /**
     * Stops both contexts and closes their connections: the factories cache consumers, which would otherwise stay
     * open after their routes stop and take a share of the next pair's messages without ever reading them.
     */
    @Override
    public void close() {
        a.stop();
        b.stop();
        connections.forEach(CachingConnectionFactory::destroy);
    }
}
