package io.camelvan.router.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.camelvan.router.Router;
import io.camelvan.router.config.SiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code van-router run}: the router in the foreground until SIGINT or SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the router in the foreground until interrupted (Ctrl-C or SIGTERM).")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws InterruptedException {
        SiteConfig site = config.load();
        Router router = Router.start(site);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            router.close();
            stopped.countDown();
        }, "van-router-shutdown"));
        stopped.await();
        return 0;
    }
}
