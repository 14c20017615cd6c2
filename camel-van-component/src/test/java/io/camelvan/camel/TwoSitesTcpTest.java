package io.camelvan.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code van:tcp} producer routes on site A open flows to {@code van:tcp} consumer routes on site B. */
class TwoSitesTcpTest {

    @TempDir
    static Path dir;

    private static TestSites sites;
    private static ProducerTemplate a;

    @BeforeAll
    static void start() throws Exception {
        sites = new TestSites(dir);
        sites.link("a", "b");
        sites.site("b").start(new RouteBuilder() {
            @Override
            public void configure() {
                from("van:tcp:upper?concurrentConsumers=8").routeId("upper")
                    .setBody(simple("${body.toUpperCase()} (${header.CamelVanFlowId.length()})"));
                from("van:tcp:sum?codec=length").routeId("sum")
                    .process(e -> {
                        byte[] in = e.getMessage().getBody(byte[].class);
                        int sum = 0;
                        for (byte b : in) {
                            sum += b;
                        }
                        e.getMessage().setBody(new byte[] { (byte) sum });
                    });
            }
        });
        sites.site("a").start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:upper").to(ExchangePattern.InOut, "van:tcp:upper");
                from("direct:sum").to(ExchangePattern.InOut, "van:tcp:sum?codec=length");
            }
        });
        a = sites.site("a").context.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        sites.close();
    }

    @Test
    void textLinesRequestReplyAcrossTheLink() {
        assertThat(a.requestBody("direct:upper", "hello", String.class)).isEqualTo("HELLO (36)");
        // the flow is reused for the next exchange
        assertThat(a.requestBody("direct:upper", "world", String.class)).isEqualTo("WORLD (36)");
    }

    @Test
    void concurrentExchangesUseFlowsOfTheirOwn() throws Exception {
        List<CompletableFuture<String>> replies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String word = "word" + i;
            replies.add(CompletableFuture.supplyAsync(() -> a.requestBody("direct:upper", word, String.class)));
        }
        for (int i = 0; i < 6; i++) {
            assertThat(replies.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("WORD" + i + " (36)");
        }
    }

    @Test
    void lengthPrefixedFrames() {
        byte[] reply = a.requestBody("direct:sum", new byte[] { 1, 2, 3, 4 }, byte[].class);
        assertThat(reply).containsExactly(10);
    }
}
