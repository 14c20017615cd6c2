package io.camelvan.router.core;

import java.util.concurrent.atomic.LongAdder;

/** Router-wide counters that are not per address. */
public final class RouterMetrics {

    public final LongAdder connectionsOpened = new LongAdder();
    public final LongAdder connectionsActive = new LongAdder();
    public final LongAdder connectionsRefused = new LongAdder();
    /** TLS handshakes that failed, on either side (a refused certificate, a wrong host name, ...). */
    public final LongAdder tlsFailures = new LongAdder();
    public final LongAdder authFailures = new LongAdder();
    public final LongAdder linksActive = new LongAdder();
    public final LongAdder linksRefused = new LongAdder();
    public final LongAdder deliveriesRejectedTooLarge = new LongAdder();
}
