package io.camelvan.itests.bench;

import org.apache.camel.CamelContext;

/**
 * Two CamelContexts joined by a transport: "site A" has {@code direct:inonly} and {@code direct:inout} routes that
 * send to the transport, "site B" has the two consuming routes (InOut echoes the body back). The Camel scenarios
 * drive the same routes over the VAN and over a broker.
 */
interface RoutePair extends AutoCloseable {

    /** Site A, where the sending routes run. */
    CamelContext sender();

    /** How many exchanges B's InOnly route has completed so far. */
    long consumed();

    /** One line on the transport, for the results file. */
    String description();

    @Override
    void close();
}
