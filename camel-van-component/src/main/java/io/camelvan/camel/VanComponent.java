package io.camelvan.camel;

import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.apache.camel.Endpoint;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HeaderFilterStrategyComponent;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.qpid.protonj2.client.ConnectionOptions;
import org.apache.qpid.protonj2.client.exceptions.ClientException;

/**
 * The {@code van:} component. It holds one AMQP connection to a router: an external one ({@code url}) or one it
 * starts inside the CamelContext ({@code embedded=true}) and stops with it. With an embedded router, message
 * endpoints ({@code van:ADDRESS}) skip the connection and hand their messages to the router in-process. Endpoints
 * that name a router of their own ({@code url} on the endpoint) get a connection to it, shared by the endpoints that
 * name the same router and credentials.
 */
@Component("van")
public class VanComponent extends HeaderFilterStrategyComponent implements SSLContextParametersAware {

    /** How long start waits for the router before it logs and goes on retrying in the background. */
    private static final long START_WAIT_MILLIS = 2000;

    @Metadata(description = "The router to connect to: amqp://host:port, or amqps://host:port for TLS."
        + " Ignored when embedded=true.", defaultValue = "amqp://127.0.0.1:5672")
    private String url = "amqp://127.0.0.1:5672";
    @Metadata(description = "Start a router inside the CamelContext (stopped with it) and connect to it.",
              defaultValue = "false")
    private boolean embedded;
    @Metadata(description = "The embedded router's site YAML: file:path (relative paths inside it, such as"
        + " certificates, resolve against its folder), classpath:name, or a plain file path. Without it the"
        + " embedded router is a site of its own with one AMQP listener on a free loopback port.")
    private String siteConfig;
    @Metadata(description = "The embedded router's site name when there is no siteConfig (default: the"
        + " CamelContext's name).")
    private String site;
    @Metadata(label = "security", secret = true, description = "User name for SASL PLAIN.")
    private String username;
    @Metadata(label = "security", secret = true, description = "Password for SASL PLAIN.")
    private String password;
    @Metadata(label = "security", description = "TLS for amqps:// urls: key and trust material.")
    private SSLContextParameters sslContextParameters;
    @Metadata(label = "security", defaultValue = "false", description = "Use the global SSL context parameters.")
    private boolean useGlobalSslContextParameters;
    @Metadata(label = "advanced", defaultValue = "100",
              description = "Milliseconds before the first reconnect attempt; later ones back off.")
    private long reconnectDelay = 100;
    @Metadata(label = "advanced", defaultValue = "5000",
              description = "Longest wait, in milliseconds, between reconnect attempts.")
    private long maxReconnectDelay = 5000;

    private EmbeddedRouter embeddedRouter;
    private RouterConnection connection;
    private InProcessTransport inProcess;
    private final Map<EndpointRouter, RouterConnection> endpointConnections = new HashMap<>();
    private VanHealthCheck healthCheck;

    /** Creates the component. */
    public VanComponent() {
        setHeaderFilterStrategy(new VanHeaderFilterStrategy());
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        VanEndpoint endpoint = new VanEndpoint(uri, this, VanAddress.parse(uri, remaining));
        endpoint.setHeaderFilterStrategy(getHeaderFilterStrategy());
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        RouterUrl target;
        if (embedded) {
            embeddedRouter = EmbeddedRouter.start(getCamelContext(), siteConfig, site);
            inProcess = new InProcessTransport(embeddedRouter.router().core());
            target = new RouterUrl(embeddedRouter.host(), embeddedRouter.port(), false);
        } else {
            target = RouterUrl.parse(url);
        }
        connection = RouterConnection.open(target, connectionOptions(target, username, password, sslContextParameters),
            "camel-" + getCamelContext().getName(), START_WAIT_MILLIS);
        HealthCheckRegistry registry = HealthCheckRegistry.get(getCamelContext());
        if (registry != null) {
            healthCheck = new VanHealthCheck(connection, embeddedRouter == null ? null : embeddedRouter.router().core().join());
            healthCheck.setCamelContext(getCamelContext());
            registry.register(healthCheck);
        }
    }

    private ConnectionOptions connectionOptions(RouterUrl target, String username, String password,
        SSLContextParameters sslContextParameters) throws Exception {
        ConnectionOptions options = new ConnectionOptions();
        options.reconnectEnabled(true);
        options.reconnectOptions().reconnectDelay((int) reconnectDelay).maxReconnectDelay((int) maxReconnectDelay)
            .useReconnectBackOff(true).warnAfterReconnectAttempts(Integer.MAX_VALUE);
        if (username != null) {
            // protonj2 takes the first mechanism the router offers that it can do, and that is ANONYMOUS on a
            // listener offering both: with a user name, log in with it
            options.user(username).password(password);
            options.saslOptions().addAllowedMechanism("PLAIN");
        }
        SSLContextParameters ssl = sslContextParameters != null ? sslContextParameters
            : retrieveGlobalSslContextParameters();
        if (target.tls()) {
            options.sslEnabled(true);
            if (ssl != null) {
                SSLContext context = ssl.createSSLContext(getCamelContext());
                options.sslOptions().sslContextOverride(context);
            }
        }
        return options;
    }

    @Override
    protected void doStop() throws Exception {
        if (healthCheck != null) {
            HealthCheckRegistry registry = HealthCheckRegistry.get(getCamelContext());
            if (registry != null) {
                registry.unregister(healthCheck);
            }
            healthCheck = null;
        }
        synchronized (endpointConnections) {
            endpointConnections.values().forEach(RouterConnection::close);
            endpointConnections.clear();
        }
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (inProcess != null) {
            inProcess.close();
            inProcess = null;
        }
        if (embeddedRouter != null) {
            embeddedRouter.close();
            embeddedRouter = null;
        }
        super.doStop();
    }

    /** The connection to the router; the component must be started. */
    public RouterConnection routerConnection() {
        if (connection == null) {
            throw new IllegalStateException("the van component is not started");
        }
        return connection;
    }

    /**
     * The connection to a router an endpoint names ({@code url} on the endpoint), opened on first use. The
     * endpoint's credentials and TLS parameters, where it has none, are the component's.
     */
    RouterConnection routerConnection(String endpointUrl, String endpointUsername, String endpointPassword,
        SSLContextParameters endpointSsl) {
        routerConnection(); // the component must be started
        EndpointRouter key = new EndpointRouter(RouterUrl.parse(endpointUrl),
            endpointUsername != null ? endpointUsername : username,
            endpointPassword != null ? endpointPassword : password,
            endpointSsl != null ? endpointSsl : sslContextParameters);
        synchronized (endpointConnections) {
            RouterConnection rc = endpointConnections.get(key);
            if (rc == null) {
                try {
                    rc = RouterConnection.open(key.url(), connectionOptions(key.url(), key.username(), key.password(),
                        key.ssl()), "camel-" + getCamelContext().getName() + "-" + (endpointConnections.size() + 1),
                        START_WAIT_MILLIS);
                } catch (ClientException e) {
                    throw new RuntimeCamelException("cannot connect to the VAN router at " + key.url() + ": "
                        + e.getMessage(), e);
                } catch (Exception e) {
                    throw RuntimeCamelException.wrapRuntimeCamelException(e);
                }
                endpointConnections.put(key, rc);
            }
            return rc;
        }
    }

    /** What tells endpoint connections apart: the router and how to log in to it. */
    private record EndpointRouter(RouterUrl url, String username, String password, SSLContextParameters ssl) {
    }

    /** Message endpoints' way into the embedded router, or null when the component uses an external one. */
    InProcessTransport inProcessTransport() {
        return inProcess;
    }

    /** The embedded router, or null when the component uses an external one. */
    public io.camelvan.router.Router embeddedRouter() {
        return embeddedRouter == null ? null : embeddedRouter.router();
    }

    String routerUrl() {
        return connection != null ? connection.url() : embedded ? "embedded" : url;
    }

    public String getUrl() {
        return url;
    }

    /** The router to connect to: amqp://host:port, or amqps://host:port for TLS. Ignored when embedded=true. */
    public void setUrl(String url) {
        this.url = url;
    }

    public boolean isEmbedded() {
        return embedded;
    }

    /** Start a router inside the CamelContext (stopped with it) and connect to it. */
    public void setEmbedded(boolean embedded) {
        this.embedded = embedded;
    }

    public String getSiteConfig() {
        return siteConfig;
    }

    /** The embedded router's site YAML: file:path, classpath:name, or a plain file path. */
    public void setSiteConfig(String siteConfig) {
        this.siteConfig = siteConfig;
    }

    public String getSite() {
        return site;
    }

    /** The embedded router's site name when there is no siteConfig. */
    public void setSite(String site) {
        this.site = site;
    }

    public String getUsername() {
        return username;
    }

    /** User name for SASL PLAIN. */
    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    /** Password for SASL PLAIN. */
    public void setPassword(String password) {
        this.password = password;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /** TLS for amqps:// urls: key and trust material. */
    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    @Override
    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    /** Use the global SSL context parameters. */
    @Override
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }

    public long getReconnectDelay() {
        return reconnectDelay;
    }

    /** Milliseconds before the first reconnect attempt; later ones back off. */
    public void setReconnectDelay(long reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public long getMaxReconnectDelay() {
        return maxReconnectDelay;
    }

    /** Longest wait, in milliseconds, between reconnect attempts. */
    public void setMaxReconnectDelay(long maxReconnectDelay) {
        this.maxReconnectDelay = maxReconnectDelay;
    }
}
