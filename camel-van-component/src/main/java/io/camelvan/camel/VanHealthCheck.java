package io.camelvan.camel;

import java.util.Map;

import io.camelvan.router.core.NetworkJoin;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Reports whether the component is connected to its router and, for an embedded router, whether that
 * router has joined its network (id {@code van}, group {@code camel}): until it has, it may not know
 * yet where the addresses of this application's producers are served.
 */
public final class VanHealthCheck extends AbstractHealthCheck {

    private final RouterConnection connection;
    private final NetworkJoin embeddedJoin;

    /** @param embeddedJoin the embedded router's join, or null for an external router */
    VanHealthCheck(RouterConnection connection, NetworkJoin embeddedJoin) {
        super("camel", "van");
        this.connection = connection;
        this.embeddedJoin = embeddedJoin;
    }

    @Override
    public boolean isLiveness() {
        // a router that is away is a readiness problem: restarting this application would not bring it back
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("router.url", connection.url());
        // an embedded router that has not joined is the reason to give: the connection to it, in this
        // same JVM, is up within moments of the start, and its state says nothing to an operator
        if (embeddedJoin != null && !embeddedJoin.isJoined()) {
            builder.message("the embedded VAN router has not joined its network yet (its links are coming up)").down();
        } else if (!connection.isConnected()) {
            String why = connection.lastFailure();
            builder.message("not connected to the VAN router at " + connection.url()
                + (why == null ? "" : ": " + why) + "; reconnecting").down();
        } else {
            builder.up();
        }
    }
}
