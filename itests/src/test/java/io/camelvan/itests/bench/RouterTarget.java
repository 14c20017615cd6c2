package io.camelvan.itests.bench;

import java.util.ArrayList;
import java.util.List;

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

    /**
     * @param workerThreads the router's event-loop threads, or 0 for its default (one per core)
     * @param linkCapacity the credit of each link that sends to the router, or 0 for its default
     */
    public static RouterTarget start(int workerThreads, int linkCapacity) {
        String yaml = "site: bench\n"
            + routerSection(workerThreads, linkCapacity)
            + "listeners:\n"
            + "  - {name: amqp, host: 127.0.0.1, port: 0}\n";
        return new RouterTarget(Router.start(ConfigLoader.parse(yaml, null)), yaml);
    }

    /** The site file's {@code router:} line for these settings (0: the router's default), or nothing. */
    static String routerSection(int workerThreads, int linkCapacity) {
        List<String> settings = new ArrayList<>();
        if (workerThreads > 0) {
            settings.add("workerThreads: " + workerThreads);
        }
        if (linkCapacity > 0) {
            settings.add("linkCapacity: " + linkCapacity);
        }
        return settings.isEmpty() ? "" : "router: {" + String.join(", ", settings) + "}\n";
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
