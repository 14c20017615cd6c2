package io.camelvan.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.camelvan.camel.http.VanHttpOperationFailedException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code van:http} producer routes on site A; {@code van:http} consumer routes on site B serve them. */
class TwoSitesHttpTest {

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
                from("van:http:orders/api").routeId("orders-api")
                    .choice()
                        .when(header(Exchange.HTTP_PATH).isEqualTo("/broken"))
                            .throwException(new IllegalStateException("the order store is down"))
                        .when(header(Exchange.HTTP_PATH).isEqualTo("/busy"))
                            .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(503))
                            .setBody(constant("try later"))
                        .otherwise()
                            .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(201))
                            .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                            .setHeader("x-served-by", simple("${camelContext.name}"))
                            .setBody(simple("{\"method\":\"${header.CamelHttpMethod}\",\"path\":\"${header.CamelHttpPath}\","
                                + "\"query\":\"${header.CamelHttpQuery}\",\"accept\":\"${header.accept}\","
                                + "\"order\":${body}}"));
            }
        });
        sites.site("a").start(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:order").to("van:http:orders/api/orders");
                from("direct:lenient").to("van:http:orders?throwExceptionOnFailure=false");
                from("direct:strict").to("van:http:orders/api");
            }
        });
        a = sites.site("a").context.createProducerTemplate();
    }

    @AfterAll
    static void stop() {
        sites.close();
    }

    @Test
    void aRequestAcrossTheLinkGetsJsonAndItsStatus() {
        Exchange reply = a.request("direct:order", e -> {
            e.getMessage().setBody("{\"item\":\"apples\",\"qty\":3}");
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "PUT");
            e.getMessage().setHeader(Exchange.HTTP_PATH, "42");
            e.getMessage().setHeader(Exchange.HTTP_QUERY, "express=true");
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            e.getMessage().setHeader("Accept", "application/json");
        });
        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(201);
        assertThat(reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_TEXT)).isEqualTo("Created");
        assertThat(reply.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(reply.getMessage().getHeader("x-served-by")).isEqualTo("b");
        assertThat(new String(reply.getMessage().getBody(byte[].class), StandardCharsets.UTF_8)).isEqualTo(
            "{\"method\":\"PUT\",\"path\":\"/orders/42\",\"query\":\"express=true\",\"accept\":\"application/json\","
                + "\"order\":{\"item\":\"apples\",\"qty\":3}}");
    }

    @Test
    void aPathOutsideTheConsumersPathIsNotFound() {
        Exchange reply = a.request("direct:lenient", e -> e.getMessage().setHeader(Exchange.HTTP_PATH, "/elsewhere"));
        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(404);
    }

    @Test
    void anErrorStatusFailsTheExchangeLikeCamelHttp() {
        Exchange reply = a.request("direct:strict", e -> e.getMessage().setHeader(Exchange.HTTP_PATH, "/busy"));
        assertThat(reply.getException()).isInstanceOf(VanHttpOperationFailedException.class);
        VanHttpOperationFailedException failure = (VanHttpOperationFailedException) reply.getException();
        assertThat(failure.getStatusCode()).isEqualTo(503);
        assertThat(failure.getStatusText()).isEqualTo("Service Unavailable");
        assertThat(failure.getResponseBody()).isEqualTo("try later");
    }

    @Test
    void aFailingServerRouteAnswers500() {
        Exchange reply = a.request("direct:strict", e -> e.getMessage().setHeader(Exchange.HTTP_PATH, "/broken"));
        VanHttpOperationFailedException failure = (VanHttpOperationFailedException) reply.getException();
        assertThat(failure.getStatusCode()).isEqualTo(500);
        assertThat(failure.getResponseBody()).isEqualTo("the order store is down");
    }
}
