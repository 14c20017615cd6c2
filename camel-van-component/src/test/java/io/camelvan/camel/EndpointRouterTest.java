package io.camelvan.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An endpoint that names a router of its own ({@code url}, with {@code username} and {@code password}, or TLS
 * parameters for an amqps:// url) reaches it even though its component's router is a site that is linked to nothing.
 */
class EndpointRouterTest {

    @TempDir
    static Path dir;

    private static TestSites sites;
    private static final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        sites = new TestSites(dir);
        TestSites.Site b = sites.site("b");
        b.extraYaml = "users:\n  - {name: app, password: s3cret}\n";
        // server-only TLS (no ca: no client certificate asked for), as for applications that log in with a password
        b.tls.add("server: {cert: certs/site.crt, key: certs/site.key}");
        b.listeners.add("{name: amqps, host: 127.0.0.1, port: 0, tls: server}");
        b.start(new RouteBuilder() {
            @Override
            public void configure() {
                from("van:orders").process(e -> received.add(e.getMessage().getBody(String.class)));
            }
        });
        sites.site("lonely").start();
        sites.site("lonely").context.getRegistry().bind("bTls", b.clientTls());
    }

    @AfterAll
    static void stop() {
        sites.close();
    }

    @Test
    void anEndpointWithItsOwnRouterAndCredentialsReachesIt() throws Exception {
        ProducerTemplate lonely = sites.site("lonely").context.createProducerTemplate();
        String router = "amqp://127.0.0.1:" + sites.site("b").amqpPort();
        lonely.sendBody("van:orders?url=" + router + "&username=app&password=s3cret", "order 1");
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("order 1");

        // the wrong password is refused, so the credentials are the endpoint's (this comes last: failed logins
        // get the client's address refused for a while)
        assertThatThrownBy(() -> lonely.sendBody("van:orders?url=" + router
            + "&username=app&password=wrong&requestTimeout=1500", "order 2"))
            .hasStackTraceContaining("SASL exchange failed to authenticate");
        assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void anEndpointReachesATlsListenerWithItsOwnTlsParameters() throws Exception {
        ProducerTemplate lonely = sites.site("lonely").context.createProducerTemplate();
        lonely.sendBody("van:orders?url=amqps://localhost:" + sites.site("b").port("amqps")
            + "&sslContextParameters=#bean:bTls", "order over TLS");
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("order over TLS");
    }

    @Test
    void credentialsWithoutAUrlAreRefused() {
        CamelContext ctx = sites.site("lonely").context;
        assertThatThrownBy(() -> ctx.getEndpoint("van:orders?username=app&password=s3cret").start())
            .hasMessageContaining("set url too");
        assertThatThrownBy(() -> ctx.getEndpoint("van:orders?url=http://127.0.0.1:1").start())
            .hasMessageContaining("must start with amqp:// or amqps://");
    }
}
