package io.camelvan.camel;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.camelvan.router.Router;
import io.camelvan.router.config.ConfigLoader;
import io.camelvan.router.config.ListenerConfig;
import io.camelvan.router.config.ListenerRole;
import io.camelvan.router.config.SiteConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.support.ResourceHelper;

/**
 * A router started inside the CamelContext (component option {@code embedded=true}). Its site configuration is a
 * site YAML file ({@code siteConfig=file:site.yaml} or {@code classpath:...}); without one it is a router of its own
 * site with a single AMQP listener on a free loopback port. The component connects to the first {@code normal}
 * listener without TLS.
 */
final class EmbeddedRouter implements AutoCloseable {

    private final Router router;
    private final String host;
    private final int port;

    private EmbeddedRouter(Router router, String host, int port) {
        this.router = router;
        this.host = host;
        this.port = port;
    }

    /**
     * Starts the router.
     *
     * @param siteConfig a resource URI or file path of a site YAML file, or null
     * @param site       the site name when there is no site file
     */
    static EmbeddedRouter start(CamelContext context, String siteConfig, String site) throws Exception {
        SiteConfig config = load(context, siteConfig, site);
        ListenerConfig listener = config.listeners().stream()
            .filter(l -> l.role() == ListenerRole.NORMAL && l.tls() == null)
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("the embedded router's site configuration "
                + (siteConfig == null ? "" : siteConfig + " ")
                + "has no listener with role normal and no tls for the van component to connect to"));
        Router router = Router.start(config);
        String host = listener.host().equals("0.0.0.0") || listener.host().equals("::") ? "127.0.0.1" : listener.host();
        return new EmbeddedRouter(router, host, router.port(listener.name()));
    }

    private static SiteConfig load(CamelContext context, String siteConfig, String site) throws Exception {
        if (siteConfig == null) {
            String name = site != null ? site : context.getName().replaceAll("[^A-Za-z0-9._-]", "-");
            return ConfigLoader.parse("site: " + name + "\nlisteners:\n  - {name: amqp, host: 127.0.0.1, port: 0}\n",
                null);
        }
        if (siteConfig.startsWith("file:") || !ResourceHelper.hasScheme(siteConfig)) {
            // a file: relative paths inside it (certificates) are resolved against its folder
            String path = siteConfig.startsWith("file:") ? siteConfig.substring("file:".length()) : siteConfig;
            return ConfigLoader.load(Path.of(path));
        }
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(context, siteConfig)) {
            return ConfigLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), null);
        } catch (java.io.IOException e) {
            throw new RuntimeCamelException("cannot read the site configuration " + siteConfig + ": " + e.getMessage(),
                e);
        }
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    /** The running router, for management from the application. */
    Router router() {
        return router;
    }

    @Override
    public void close() {
        router.close();
    }
}
