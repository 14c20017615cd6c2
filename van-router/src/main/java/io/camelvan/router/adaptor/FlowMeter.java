package io.camelvan.router.adaptor;

import java.time.Duration;
import java.time.Instant;

import io.camelvan.router.management.FlowRecord;
import io.camelvan.router.management.FlowRecorder;

/**
 * One flow (a TCP connection, an HTTP request) as its listener counts it: started when it begins,
 * bytes added as they pass, where it was served once the reply says so, and exactly one
 * {@link FlowRecord} when it ends, however many ways it is ended. On the flow's event loop.
 */
public final class FlowMeter {

    private final FlowRecorder recorder;
    private final ServiceListener listener;
    private final FlowRecord.Protocol protocol;
    private final String id;
    private final Instant start = Instant.now();
    private final long startNanos = System.nanoTime();
    private long bytesFromClient;
    private long bytesFromServer;
    private FlowProperties.ServedBy servedBy = FlowProperties.ServedBy.UNKNOWN;
    private boolean recorded;

    /** Counts the flow as begun (active until {@link #end}). */
    public FlowMeter(ServiceListener listener, FlowRecord.Protocol protocol, String id) {
        this.recorder = listener.context().flows();
        this.listener = listener;
        this.protocol = protocol;
        this.id = id;
        recorder.started(protocol, listener.config().routingKey());
    }

    public String id() {
        return id;
    }

    public void fromClient(long bytes) {
        bytesFromClient += bytes;
    }

    public void fromServer(long bytes) {
        bytesFromServer += bytes;
    }

    /** The reply's head has arrived: it says where the flow was served. */
    public void servedBy(FlowProperties.ServedBy where) {
        servedBy = where;
    }

    /** Ends a TCP flow. Later calls do nothing. */
    public void end(FlowRecord.Outcome outcome) {
        end(outcome, null, 0);
    }

    /** Ends an HTTP request ({@code status} 0: no response). Later calls do nothing. */
    public void end(FlowRecord.Outcome outcome, String httpMethod, int httpStatus) {
        if (recorded) {
            return;
        }
        recorded = true;
        recorder.record(new FlowRecord(id, protocol, listener.config().routingKey(), listener.core().site(),
            listener.core().routerId(), listener.config().name(), servedBy.site(), servedBy.router(), servedBy.connector(),
            start, Duration.ofNanos(System.nanoTime() - startNanos), bytesFromClient, bytesFromServer, outcome,
            httpMethod, httpStatus));
    }
}
