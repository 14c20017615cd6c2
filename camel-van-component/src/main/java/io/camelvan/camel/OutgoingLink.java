package io.camelvan.camel;

import java.util.concurrent.TimeoutException;

import org.apache.qpid.protonj2.client.Message;

/** Where a producer's messages go: one address, over a {@link MessageTransport}. */
public interface OutgoingLink extends AutoCloseable {

    /**
     * Sends a message; unsettled sends wait while no consumer of the address is reachable.
     *
     * @return the sent message, whose outcome can be awaited (null when sent pre-settled)
     * @throws TimeoutException when no consumer became reachable in time; its message says why
     */
    Sent send(Message<?> message) throws Exception;

    @Override
    void close();

    /** A message sent unsettled, until its outcome is known. */
    interface Sent {

        /** Waits, at most until {@code deadlineNanos}, for the outcome; on any thread. */
        Settlement await(long deadlineNanos);

        /** Whether the consumer's side has settled it, for the message of a request that got no reply. */
        boolean isSettled();

        /** Its outcome in words ("accepted", "released", ...) once settled. */
        String outcomeName();
    }

    /** What became of a sent message. */
    enum Outcome {
        ACCEPTED, REJECTED, RELEASED, MODIFIED, TIMED_OUT,
        /** the link or connection failed before the outcome arrived: whether it got through is unknown */
        LOST
    }

    /** An outcome and what the peer said about it (a rejection's description, a failure), or null. */
    record Settlement(Outcome outcome, String detail) {
    }
}
