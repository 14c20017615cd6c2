package io.camelvan.router.management;

import java.util.concurrent.atomic.LongAdder;

/** The flow counters of one routing key or one pair of sites, for one protocol. */
final class FlowCounters {

    final LongAdder opened = new LongAdder();
    final LongAdder active = new LongAdder();
    final LongAdder ended = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder bytesFromClient = new LongAdder();
    final LongAdder bytesFromServer = new LongAdder();
    /** HTTP responses by status class: index 1 for 1xx ... 5 for 5xx; 0 for no response. */
    final LongAdder[] statusClasses = new LongAdder[6];
    final LatencyHistogram latency = new LatencyHistogram();

    FlowCounters() {
        for (int i = 0; i < statusClasses.length; i++) {
            statusClasses[i] = new LongAdder();
        }
    }

    void ended(FlowRecord r) {
        ended.increment();
        if (r.failed()) {
            failed.increment();
        }
        bytesFromClient.add(r.bytesFromClient());
        bytesFromServer.add(r.bytesFromServer());
        if (r.protocol() == FlowRecord.Protocol.HTTP) {
            int statusClass = r.httpStatus() / 100;
            statusClasses[statusClass >= 1 && statusClass <= 5 ? statusClass : 0].increment();
            latency.observe(r.duration());
        }
    }
}
