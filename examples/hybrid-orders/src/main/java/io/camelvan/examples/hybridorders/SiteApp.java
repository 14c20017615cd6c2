package io.camelvan.examples.hybridorders;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.camelvan.camel.VanComponent;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * One site of the demo in a JVM of its own: a CamelContext whose {@code van} component embeds the site's router
 * (configured by the site's {@code site.yaml}, links and all), with the site's routes. Runs until SIGTERM or Ctrl-C.
 *
 * <p>{@code java -cp hybrid-orders.jar io.camelvan.examples.hybridorders.SiteApp on-prem|cloud-a|cloud-b SITE_YAML}
 */
public final class SiteApp {

    /** The line a site prints once its routes run; the demo waits for it. */
    static final String READY = "routes started";

    private SiteApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !Files.isRegularFile(Path.of(args[1]))) {
            System.err.println("usage: SiteApp on-prem|cloud-a|cloud-b SITE_YAML (an existing file)");
            System.exit(2);
        }
        configureLogging();
        SiteRoutes routes = switch (args[0]) {
            case "on-prem" -> new OnPremRoutes();
            case "cloud-a" -> new CloudARoutes();
            case "cloud-b" -> new CloudBRoutes();
            default -> {
                System.err.println("unknown site '" + args[0] + "': on-prem, cloud-a or cloud-b");
                System.exit(2);
                yield null;
            }
        };
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getCamelContextExtension().setName(args[0]);
        VanComponent van = new VanComponent();
        van.setEmbedded(true);
        van.setSiteConfig("file:" + Path.of(args[1]).toAbsolutePath());
        camel.addComponent("van", van);
        camel.addRoutes(routes);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            camel.stop();
            stopped.countDown();
        }, "site-shutdown"));
        camel.start();
        System.out.println(READY + ": " + String.join(", ", camel.getRoutes().stream().map(r -> r.getRouteId()).toList()));
        stopped.await();
    }

    /**
     * slf4j-simple, read when the first logger is made: the router's own lines (listeners, links, neighbours) and the
     * demo's; Camel only when something goes wrong.
     */
    private static void configureLogging() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.io.camelvan.router", "info");
        System.setProperty("org.slf4j.simpleLogger.log." + SiteRoutes.LOG_NAME, "info");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        System.setProperty("org.slf4j.simpleLogger.showLogName", "false");
        System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "false");
    }
}
