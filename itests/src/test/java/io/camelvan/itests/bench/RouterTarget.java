package io.camelvan.itests.bench;

import io.camelvan.router.Router;
import io.camelvan.router.config.ConfigLoader;

/** The Camel VAN router, started in this JVM with one AMQP listener on 127.0.0.1, port 0. */
public final class RouterTarget implements Target {

    private final Router router;
    private final String yaml;

    private RouterTarget(Router router, String yaml) {
        this.router = router;
        this.yaml = yaml;
    }

    public static RouterTarget start() {
        return start(0);
    }

    /** @param workerThreads the router's event-loop threads, or 0 for its default (one per core) */
    public static RouterTarget start(int workerThreads) {
        String yaml = "site: bench\n"
            + (workerThreads > 0 ? "router: {workerThreads: " + workerThreads + "}\n" : "")
            + "listeners:\n"
            + "  - {name: amqp, host: 127.0.0.1, port: 0}\n";
        return new RouterTarget(Router.start(ConfigLoader.parse(yaml, null)), yaml);
    }

    @Override
    public String name() {
        return "router";
    }

    @Override
    public String description() {
        return "Camel VAN router in-process (Router.start), one AMQP listener on 127.0.0.1, defaults otherwise "
            + "(link capacity " + router.config().router().linkCapacity() + ", "
            + router.config().router().threads() + " worker threads)";
    }

    @Override
    public boolean ownsThread(String threadName) {
        // the router's event loops are named van-<router id>-...
        return threadName.startsWith("van-bench-");
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return router.port("amqp");
    }

    @Override
    public void close() {
        router.close();
    }

    @Override
    public String toString() {
        return name() + " " + yaml.replace('\n', ' ');
    }
}
