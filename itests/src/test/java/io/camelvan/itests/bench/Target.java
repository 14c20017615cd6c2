package io.camelvan.itests.bench;

/**
 * Something the clients of a scenario connect to: an AMQP 1.0 endpoint on this machine. Every
 * scenario drives every target with the same client code; only {@link #host()} and {@link #port()}
 * differ.
 */
public interface Target extends AutoCloseable {

    /** A short name for tables, e.g. {@code router} or {@code broker}. */
    String name();

    /** One line on what it is and how it is configured, for the results file. */
    String description();

    /** Whether a thread of this JVM (by name) works for this target: for its CPU time per message. */
    boolean ownsThread(String threadName);

    String host();

    /** Where producers (and requesters) connect. */
    int port();

    /** Where consumers (and responders) connect: another router of a mesh, or the same port. */
    default int receivePort() {
        return port();
    }

    @Override
    void close();
}
