package io.camelvan.camel;

import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * The default header filter: Camel's own headers ({@code Camel*}, {@code org.apache.camel.*}) never leave the route,
 * and names that the VAN wire format reserves ({@code :path}, {@code :status}, ..., {@code van.*}) are neither sent
 * as nor taken from application-properties.
 */
public class VanHeaderFilterStrategy extends DefaultHeaderFilterStrategy {

    /** Creates the default filter. */
    public VanHeaderFilterStrategy() {
        setOutFilterStartsWith(":", "van.", "Camel", "camel", "org.apache.camel.");
        setInFilterStartsWith(":", "van.", "Camel", "camel", "org.apache.camel.");
    }
}
