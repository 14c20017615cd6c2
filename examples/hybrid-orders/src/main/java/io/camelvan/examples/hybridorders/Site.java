package io.camelvan.examples.hybridorders;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/** One site of the demo: its folder (made by {@code van-router init}) and the loopback ports its router uses. */
record Site(String name, Path dir, int amqpPort, int peerPort, int adminPort) {

    /** A site in {@code parent/name} with ports that are free now. */
    static Site withFreePorts(String name, Path parent) {
        return new Site(name, parent.resolve(name), freePort(), freePort(), freePort());
    }

    Path config() {
        return dir.resolve("site.yaml");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
