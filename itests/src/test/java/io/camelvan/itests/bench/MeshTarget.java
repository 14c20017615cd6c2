package io.camelvan.itests.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A line of routers in this JVM, linked by mutual TLS: producers connect to the first, consumers to
 * the last, so every message crosses every inter-router link.
 */
final class MeshTarget implements Target {

    private final LinkedRouters routers;
    private final int hops;

    private MeshTarget(LinkedRouters routers, int hops) {
        this.routers = routers;
        this.hops = hops;
    }

    /**
     * @param size routers in the line, at least 2
     * @param workerThreads each router's event-loop threads, or 0 for the default
     * @param linkCapacity each router's credit per incoming link, or 0 for the default
     */
    static MeshTarget line(Path dir, int size, int workerThreads, int linkCapacity) {
        List<LinkedRouters.Edge> edges = new ArrayList<>();
        for (int i = 0; i + 1 < size; i++) {
            edges.add(new LinkedRouters.Edge(i, i + 1, 1));
        }
        LinkedRouters routers = new LinkedRouters(dir, "hop" + size + "-", size, edges,
            RouterTarget.routerSection(workerThreads, linkCapacity));
        routers.link();
        MeshTarget target = new MeshTarget(routers, size);
        MeshProbe.awaitRoutes(routers, 30_000);
        return target;
    }

    @Override
    public String name() {
        return hops + " routers";
    }

    @Override
    public String description() {
        return hops + " routers in a line in this JVM, mutual-TLS inter-router links, producer on the first and"
            + " consumer on the last";
    }

    @Override
    public boolean ownsThread(String threadName) {
        return threadName.startsWith("van-hop" + hops + "-");
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return routers.router(0).port("amqp");
    }

    @Override
    public int receivePort() {
        return routers.router(routers.size() - 1).port("amqp");
    }

    @Override
    public void close() {
        routers.close();
    }
}
