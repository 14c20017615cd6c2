package io.camelvan.camel;

import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.exceptions.ClientException;

/**
 * What the reply of a {@code van:http} or {@code van:tcp} consumer says of where it served the flow, so that the
 * router where the client came in (an httpListener, a tcpListener) names it in the flow's record
 * (docs/wire-protocol.md, "Where a flow was served"): the site and id of the router the endpoint is attached to, as
 * that router announced them when the connection opened (or its own, in-process), and the Camel route.
 */
public final class FlowServedBy {

    /** The prefix of every flow property: never an HTTP header. */
    public static final String PREFIX = "van.flow.";
    static final String SITE = "van.flow.site";
    static final String ROUTER = "van.flow.router";
    static final String CONNECTOR = "van.flow.connector";

    private FlowServedBy() {
    }

    /** Adds the properties to a reply; a router that did not say who it is leaves site and router out. */
    public static void mark(Message<?> reply, MessageTransport router, String routeId) throws ClientException {
        String site = router.routerSite();
        if (site != null) {
            reply.property(SITE, site);
            reply.property(ROUTER, router.routerId());
        }
        if (routeId != null) {
            reply.property(CONNECTOR, "route:" + routeId);
        }
    }
}
