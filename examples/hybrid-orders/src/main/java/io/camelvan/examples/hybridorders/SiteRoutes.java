package io.camelvan.examples.hybridorders;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/** What the routes of every site share: HTTP errors they answer themselves, and the log of confirmed orders. */
abstract class SiteRoutes extends RouteBuilder {

    /** The multicast address cloud-b publishes confirmations on (the sites declare {@code events.} multicast). */
    static final String ORDER_CONFIRMED = "events.order-confirmed";
    /** The logger of the demo's own lines; the demo counts the lines that start with {@link #EVENT_LINE}. */
    static final String LOG_NAME = "hybrid-orders";
    static final String EVENT_LINE = "order-confirmed event:";

    @Override
    public final void configure() {
        onException(HttpStatusException.class).handled(true)
            .process(e -> {
                HttpStatusException failure = e.getProperty(Exchange.EXCEPTION_CAUGHT, HttpStatusException.class);
                e.getMessage().removeHeaders("*");
                e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, failure.status());
                e.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain");
                e.getMessage().setBody(failure.getMessage() + "\n");
            });
        routes();
    }

    /** The site's own routes. */
    abstract void routes();

    /** A route that logs every confirmation published anywhere in the network (one copy per site: multicast). */
    void logConfirmedOrders() {
        from("van:" + ORDER_CONFIRMED).routeId("order-events")
            .log(LoggingLevel.INFO, LOG_NAME, EVENT_LINE + " order ${body[order]}, ${body[quantity]} x ${body[item]}"
                + " (${body[left]} left), confirmed at ${body[confirmedAt]}");
    }
}
