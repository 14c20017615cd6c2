package io.camelvan.examples.hybridorders;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;

/**
 * The cloud-b site: the order service. Each order from {@code van:orders} is reserved at the on-prem inventory
 * (over {@code van:http}); a confirmed order is published on {@code events.order-confirmed} (multicast), and the
 * outcome goes back to whoever sent the order.
 */
final class CloudBRoutes extends SiteRoutes {

    static final String ORDERS = "orders";
    private static final String CONFIRMED = "confirmed";

    @Override
    void routes() {
        from("van:" + ORDERS + "?concurrentConsumers=2").routeId("orders")
            .log(LoggingLevel.INFO, LOG_NAME, "order ${body[order]}: ${body[quantity]} x ${body[item]},"
                + " reserving at the on-prem inventory")
            .setProperty("order", body())
            .process(CloudBRoutes::toReservation)
            .to("van:http:" + OnPremRoutes.API_KEY + "/reserve?throwExceptionOnFailure=false")
            .process(CloudBRoutes::toOutcome)
            .choice().when(exchangeProperty(CONFIRMED))
                .to(ExchangePattern.InOnly, "van:" + ORDER_CONFIRMED)
            .end()
            .log(LoggingLevel.INFO, LOG_NAME, "order ${body[order]}: ${body[status]}");
    }

    private static void toReservation(Exchange exchange) {
        Map<?, ?> order = exchange.getMessage().getBody(Map.class);
        Message request = exchange.getMessage();
        request.removeHeaders("*");
        request.setHeader(Exchange.HTTP_METHOD, "POST");
        request.setHeader(Exchange.CONTENT_TYPE, "application/json");
        request.setBody(Json.write(Json.fields("item", order.get("item"), "quantity", order.get("quantity"))));
    }

    /**
     * The inventory's answer as the order's outcome (the reply to the order, and the event when confirmed). An
     * answer other than 200 or 409 fails the exchange, so the order is released and sent again.
     */
    private static void toOutcome(Exchange exchange) {
        Message response = exchange.getMessage();
        int status = response.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != 200 && status != 409) {
            throw new IllegalStateException("the inventory answered " + status + ": " + response.getBody(String.class));
        }
        Map<String, Object> reservation = Json.object(response.getBody(String.class));
        Map<?, ?> order = exchange.getProperty("order", Map.class);
        boolean confirmed = status == 200;
        exchange.setProperty(CONFIRMED, confirmed);
        response.removeHeaders("*");
        Map<String, Object> outcome = Json.fields(
            "order", order.get("order"),
            "status", confirmed ? "confirmed" : "rejected",
            "item", order.get("item"),
            "quantity", order.get("quantity"),
            "left", reservation.get("left"));
        if (confirmed) {
            outcome.put("confirmedAt", exchange.getContext().getName());
        }
        response.setBody(outcome);
    }
}
