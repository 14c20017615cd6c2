package io.camelvan.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.jms.BytesMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.amqp.AMQPComponent;
import org.apache.camel.component.jms.JmsMessage;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * A camel-amqp (qpid-jms) route connected to router A, like any AMQP 1.0 client, exchanging messages with
 * {@code van:} routes on site B across the link.
 */
class AmqpInteropTest {

    @TempDir
    static Path dir;

    private static TestSites sites;
    private static final BlockingQueue<Exchange> atB = new LinkedBlockingQueue<>();
    private static final BlockingQueue<Exchange> atA = new LinkedBlockingQueue<>();
    private static ProducerTemplate a;
    private static ProducerTemplate b;

    @BeforeAll
    static void start() throws Exception {
        sites = new TestSites(dir);
        sites.link("a", "b");
        sites.site("b").start(new RouteBuilder() {
            @Override
            public void configure() {
                from("van:from-jms").routeId("from-jms").process(atB::add);
                from("van:quotes").routeId("quotes").setBody(simple("quote for ${body}"));
                from("direct:to-jms").to("van:to-jms");
            }
        });
        CamelContext siteA = sites.site("a").start();
        // camel-amqp dials router A's ordinary AMQP listener, which is up once site A has started. Sessions are
        // cached: the router does not answer a session's end yet, so each close would wait for closeTimeout
        JmsConnectionFactory qpid = new JmsConnectionFactory("amqp://127.0.0.1:" + sites.site("a").amqpPort()
            + "?jms.closeTimeout=1000");
        AMQPComponent amqp = new AMQPComponent();
        amqp.setConnectionFactory(new CachingConnectionFactory(qpid));
        siteA.addComponent("amqp", amqp);
        siteA.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:jms").to("amqp:queue:from-jms?deliveryPersistent=true");
                from("direct:quote").to(ExchangePattern.InOut, "amqp:queue:quotes?requestTimeout=20000");
                from("amqp:queue:to-jms").routeId("to-jms").process(atA::add);
            }
        });
        a = siteA.createProducerTemplate();
        b = sites.site("b").context.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        sites.close();
    }

    @Test
    void jmsOnSiteAToVanOnSiteB() throws Exception {
        a.sendBodyAndHeader("direct:jms", "from jms", "customer", "acme");
        Exchange got = atB.poll(20, TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(got.getMessage().getBody()).isEqualTo("from jms");
        assertThat(got.getMessage().getHeader("customer")).isEqualTo("acme");
    }

    @Test
    void vanOnSiteBToJmsOnSiteA() throws Exception {
        b.sendBodyAndHeader("direct:to-jms", "from van", "priorityClass", 2);
        Exchange got = atA.poll(20, TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(got.getMessage().getBody(String.class)).isEqualTo("from van");
        assertThat(got.getMessage().getHeader("priorityClass")).isEqualTo(2);
    }

    @Test
    void bytesFromVanAreABinaryDataSectionThatJmsReadsAsABytesMessage() throws Exception {
        b.sendBody("direct:to-jms", new byte[] { 1, 2, 3 });
        Exchange got = atA.poll(20, TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(got.getMessage(JmsMessage.class).getJmsMessage()).isInstanceOf(BytesMessage.class);
        assertThat(got.getMessage().getBody(byte[].class)).containsExactly(1, 2, 3);
    }

    @Test
    void jmsRequestReplyServedByAVanRoute() {
        assertThat(a.requestBody("direct:quote", "ACME", String.class)).isEqualTo("quote for ACME");
    }
}
