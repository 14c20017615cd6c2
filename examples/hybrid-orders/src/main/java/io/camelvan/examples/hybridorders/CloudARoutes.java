package io.camelvan.examples.hybridorders;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Message;

/**
 * The cloud-a site: the web shop's front. Its router's {@code httpListener} (routing key {@code shop}) takes
 * {@code POST /orders} from browsers and curl; this route turns each into an order on {@code van:orders} and answers
 * with the outcome the order service (on whichever site serves {@code orders}) sends back.
 */
final class CloudARoutes extends SiteRoutes {

    static final String SHOP_KEY = "shop";

    private final AtomicInteger orderNumbers = new AtomicInteger();

    @Override
    void routes() {
        from("van:http:" + SHOP_KEY).routeId("web-front")
            .process(this::toOrder)
            .to(ExchangePattern.InOut, "van:" + CloudBRoutes.ORDERS)
            .process(CloudARoutes::toHttpResponse);

        logConfirmedOrders();
    }

    private void toOrder(Exchange exchange) {
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        if (!"POST".equals(method) || !"/orders".equals(path)) {
            throw new HttpStatusException(404, "no such resource: " + method + " " + path
                + " (POST /orders {\"item\": \"widget\", \"quantity\": 2})");
        }
        Map<String, Object> request = Json.object(in.getBody(String.class));
        in.removeHeaders("*");
        in.setBody(Json.fields("order", "A-" + orderNumbers.incrementAndGet(),
            "item", Json.item(request), "quantity", Json.quantity(request)));
    }

    /** The outcome as the HTTP response: 200 when confirmed, 409 when the stock was short. */
    private static void toHttpResponse(Exchange exchange) {
        Message out = exchange.getMessage();
        Map<?, ?> outcome = out.getBody(Map.class);
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, "confirmed".equals(outcome.get("status")) ? 200 : 409);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(Json.write(Json.fields("order", outcome.get("order"), "status", outcome.get("status"),
            "item", outcome.get("item"), "quantity", outcome.get("quantity"), "left", outcome.get("left"))));
    }
}
