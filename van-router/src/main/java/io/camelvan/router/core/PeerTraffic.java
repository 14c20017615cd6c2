package io.camelvan.router.core;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Traffic between this router and one other router, over all the connections they have had (both
 * directions, dialled or accepted). Kept across reconnections, so counters only grow. Updated from
 * the connections' event loops without locks.
 */
public final class PeerTraffic {

    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder deliveriesIn = new LongAdder();
    private final LongAdder deliveriesOut = new LongAdder();
    private final LongAdder connectionsUp = new LongAdder();
    private final LongAdder connectionsDown = new LongAdder();
    private final AtomicInteger open = new AtomicInteger();
    private volatile String site;
    private volatile int cost;

    /** A connection to the router has opened (AMQP open exchanged and accepted by the mesh). */
    public void connected(String peerSite, int linkCost) {
        site = peerSite;
        cost = linkCost;
        open.incrementAndGet();
        connectionsUp.increment();
    }

    /** One of its connections has closed. */
    public void disconnected() {
        open.decrementAndGet();
        connectionsDown.increment();
    }

    /** AMQP bytes read from the router (after TLS). */
    public void bytesIn(long n) {
        bytesIn.add(n);
    }

    /** AMQP bytes written to the router (before TLS). */
    public void bytesOut(long n) {
        bytesOut.add(n);
    }

    public void deliveryIn() {
        deliveriesIn.increment();
    }

    public void deliveryOut() {
        deliveriesOut.increment();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public long deliveriesIn() {
        return deliveriesIn.sum();
    }

    public long deliveriesOut() {
        return deliveriesOut.sum();
    }

    public long connectionsUp() {
        return connectionsUp.sum();
    }

    public long connectionsDown() {
        return connectionsDown.sum();
    }

    /** Connections open to the router now. */
    public int openConnections() {
        return open.get();
    }

    /** The peer's site, as its last connection said; null before any. */
    public String site() {
        return site;
    }

    /** The cost of the last connection to it. */
    public int cost() {
        return cost;
    }
}
