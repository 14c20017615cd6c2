package io.camelvan.examples.hybridorders;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The on-prem site: the legacy inventory service on a TCP routing key, the HTTP API in front of it, and the log of
 * confirmed orders. Nothing here listens on a port: both services are reached through the network by routing key.
 */
final class OnPremRoutes extends SiteRoutes {

    static final String LEGACY_KEY = "inventory-legacy";
    static final String API_KEY = "inventory";

    private final LegacyInventory inventory = LegacyInventory.demoStock();

    @Override
    void routes() {
        // the legacy system itself: one line in, one line out, on every TCP flow routed to its key from any site
        from("van:tcp:" + LEGACY_KEY + "?codec=textline&concurrentConsumers=4").routeId("legacy-inventory")
            .process(e -> e.getMessage().setBody(inventory.answer(e.getMessage().getBody(String.class))));

        // the HTTP API other sites call: GET /stock/ITEM, POST /reserve {"item": ..., "quantity": ...}
        from("van:http:" + API_KEY).routeId("inventory-api")
            .process(OnPremRoutes::toLegacyRequest)
            .to("van:tcp:" + LEGACY_KEY + "?codec=textline")
            .process(OnPremRoutes::toApiResponse);

        logConfirmedOrders();
    }

    /** The API request as a line of the legacy protocol. */
    private static void toLegacyRequest(Exchange exchange) {
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        String line;
        if ("GET".equals(method) && path != null && path.matches("/stock/[A-Za-z0-9-]{1,40}")) {
            line = "STOCK " + path.substring("/stock/".length());
        } else if ("POST".equals(method) && "/reserve".equals(path)) {
            Map<String, Object> request = Json.object(in.getBody(String.class));
            line = "RESERVE " + Json.item(request) + " " + Json.quantity(request);
        } else {
            throw new HttpStatusException(404, "no such resource: " + method + " " + path
                + " (GET /stock/ITEM, POST /reserve)");
        }
        in.removeHeaders("*");
        in.setBody(line);
    }

    /** The legacy answer as the API's JSON response: 200, or 409 when the stock is short. */
    private static void toApiResponse(Exchange exchange) {
        String answer = exchange.getMessage().getBody(String.class);
        String[] words = answer.split(" ");
        if (words[0].equals("ERROR") || words.length != 3) {
            throw new HttpStatusException(502, "the inventory system answered: " + answer);
        }
        int count = Integer.parseInt(words[2]);
        Map<String, Object> body = switch (words[0]) {
            case "STOCK" -> Json.fields("item", words[1], "stock", count);
            case "OK" -> Json.fields("item", words[1], "reserved", true, "left", count);
            case "SHORT" -> Json.fields("item", words[1], "reserved", false, "left", count);
            default -> throw new HttpStatusException(502, "the inventory system answered: " + answer);
        };
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, words[0].equals("SHORT") ? 409 : 200);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(Json.write(body));
    }
}
