package io.camelvan.examples.hybridorders;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.camelvan.camel.VanComponent;
import org.apache.camel.Route;
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
        configureLogging(); // first: making the routes makes Camel's loggers
        SiteRoutes routes = args.length == 2 ? routesOf(args[0]) : null;
        if (routes == null || !Files.isRegularFile(Path.of(args[1]))) {
            System.err.println("usage: SiteApp on-prem|cloud-a|cloud-b SITE_YAML (an existing file)");
            System.exit(2);
        }
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
        System.out.println(READY + ": " + String.join(", ", camel.getRoutes().stream().map(Route::getRouteId).toList()));
        stopped.await();
    }

    /** The routes of the demo's site {@code name}, or null when there is no such site. */
    private static SiteRoutes routesOf(String name) {
        return switch (name) {
            case "on-prem" -> new OnPremRoutes();
            case "cloud-a" -> new CloudARoutes();
            case "cloud-b" -> new CloudBRoutes();
            default -> null;
        };
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
