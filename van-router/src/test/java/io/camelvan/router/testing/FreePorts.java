package io.camelvan.router.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for tests that must write a port into a config before the listener binds it.
 *
 * <p>They come from below the kernel's ephemeral range (32768 and up on Linux): a port found with
 * {@code new ServerSocket(0)} and closed again is from that range, so the very next outgoing
 * connection (a router dialling its link) may take it as its local port before the listener binds,
 * and the listener then fails with "Address already in use". Each JVM starts at a random place and
 * walks on, so that parallel test JVMs seldom meet.
 */
public final class FreePorts {

    private static final int FIRST = 20_000;
    private static final int SPAN = 12_000;
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(SPAN));

    private FreePorts() {
    }

    /** A port no one listens on now, outside the ephemeral range. */
    public static int next() {
        for (int attempt = 0; attempt < SPAN; attempt++) {
            int port = FIRST + Math.floorMod(NEXT.getAndIncrement(), SPAN);
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(port));
                return port;
            } catch (IOException inUse) {
                // taken: try the next one
            }
        }
        throw new IllegalStateException("no free port between " + FIRST + " and " + (FIRST + SPAN));
    }
}
