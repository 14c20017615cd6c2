package io.camelvan.camel;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.ClientOptions;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.ConnectionOptions;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Sender;
import org.apache.qpid.protonj2.client.SenderOptions;
import org.apache.qpid.protonj2.client.exceptions.ClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component's AMQP connection to its router, shared by all its endpoints. It reconnects on its own (with
 * back-off, for ever), and protonj2-client re-attaches every sender and receiver on the new connection, so
 * consumers and producers survive a router restart. Its state is what the health check reports.
 */
public final class RouterConnection implements MessageTransport, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouterConnection.class);
    /** What a Camel VAN router puts in the open of a client connection. */
    private static final String OPEN_ROUTER_ID = "van-router-id";
    private static final String OPEN_SITE = "van-site";

    private final RouterUrl url;
    private final Client client;
    private final Connection connection;
    private volatile boolean connected;
    private volatile String lastFailure;
    private Sender anonymousSender;
    private ClientReplies replies;

    private RouterConnection(RouterUrl url, ConnectionOptions options, String containerId) throws ClientException {
        this.url = url;
        options.connectedHandler((c, e) -> onConnected("connected"))
            .reconnectedHandler((c, e) -> onConnected("reconnected"))
            .interruptedHandler((c, e) -> onLost(e.failureCause(), "retrying"))
            .disconnectedHandler((c, e) -> onLost(e.failureCause(), "giving up"));
        this.client = Client.create(new ClientOptions().id(containerId));
        this.connection = client.connect(url.host(), url.port(), options);
    }

    /**
     * Connects in the background. When the router cannot be reached within {@code startWaitMillis} this logs why
     * and returns all the same: the connection keeps trying, and links attach once it is up.
     */
    static RouterConnection open(RouterUrl url, ConnectionOptions options, String containerId, long startWaitMillis)
        throws ClientException {
        RouterConnection rc = new RouterConnection(url, options, containerId);
        try {
            rc.connection.openFuture().get(startWaitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("The VAN router at {} is not reachable yet ({}); retrying in the background: consumers start "
                + "receiving and producers sending once it is", url, rc.lastFailure == null ? "no answer" : rc.lastFailure);
        } catch (ExecutionException e) {
            LOG.warn("The VAN router at {} refused the connection: {}; retrying in the background", url,
                e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return rc;
    }

    private void onConnected(String what) {
        connected = true;
        lastFailure = null;
        LOG.info("{} to the VAN router at {}", what.substring(0, 1).toUpperCase() + what.substring(1), url);
    }

    private void onLost(Exception cause, String next) {
        boolean wasConnected = connected;
        connected = false;
        lastFailure = cause == null ? "connection lost" : cause.getMessage();
        if (wasConnected || "giving up".equals(next)) {
            LOG.warn("Lost the connection to the VAN router at {} ({}); {}", url, lastFailure, next);
        }
    }

    /** The AMQP connection (links opened on it are recovered after a reconnect). */
    public Connection connection() {
        return connection;
    }

    /** Whether the connection is up right now. */
    public boolean isConnected() {
        return connected;
    }

    /** Why the last connection attempt failed, or null. */
    public String lastFailure() {
        return lastFailure;
    }

    /** Where the router is. */
    public String url() {
        return url.toString();
    }

    /**
     * A sender to {@code address} on a session of its own. protonj2 1.1.0 keeps a sender that found its session's
     * window shut unable to send until a flow for that very sender arrives, and a router reopens the window with a
     * flow for whichever link it last read from: a second sender on the session could wait for good.
     */
    Sender openSender(String address, SenderOptions options) throws ClientException {
        return connection.openSession().openSender(address, options);
    }

    /** A sender without a target, routed by each message's {@code to} (for replies), on a session of its own. */
    public synchronized Sender anonymousSender() throws ClientException {
        if (anonymousSender == null) {
            anonymousSender = connection.openSession().openAnonymousSender();
        }
        return anonymousSender;
    }

    @Override
    public OutgoingLink openSender(String address, boolean settled, long timeoutMillis) throws ClientException {
        return new ClientOutgoingLink(this, address, settled, timeoutMillis);
    }

    /** The dynamic reply address and its correlator, opened on first use. */
    @Override
    public synchronized ReplyCorrelator replies() throws ClientException {
        if (replies == null) {
            replies = new ClientReplies(connection);
        }
        return replies;
    }

    @Override
    public OutgoingLink.Sent sendReply(Message<?> reply) throws ClientException {
        return new TrackedSend(anonymousSender().send(reply));
    }

    @Override
    public String routerSite() throws ClientException {
        return openProperty(OPEN_SITE);
    }

    @Override
    public String routerId() throws ClientException {
        return openProperty(OPEN_ROUTER_ID);
    }

    private String openProperty(String name) throws ClientException {
        java.util.Map<String, Object> open = connection.properties();
        return open == null || open.get(name) == null ? null : String.valueOf(open.get(name));
    }

    @Override
    public void close() {
        ReplyCorrelator r;
        synchronized (this) {
            r = replies;
        }
        if (r != null) {
            r.close();
        }
        connection.close();
        client.close();
    }
}
