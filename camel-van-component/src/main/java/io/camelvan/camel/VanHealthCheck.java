package io.camelvan.camel;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Reports whether the component is connected to its router (id {@code van}, group {@code camel}). */
public final class VanHealthCheck extends AbstractHealthCheck {

    private final RouterConnection connection;

    VanHealthCheck(RouterConnection connection) {
        super("camel", "van");
        this.connection = connection;
    }

    @Override
    public boolean isLiveness() {
        // a router that is away is a readiness problem: restarting this application would not bring it back
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("router.url", connection.url());
        if (connection.isConnected()) {
            builder.up();
        } else {
            String why = connection.lastFailure();
            builder.message("not connected to the VAN router at " + connection.url()
                + (why == null ? "" : ": " + why) + "; reconnecting").down();
        }
    }
}
