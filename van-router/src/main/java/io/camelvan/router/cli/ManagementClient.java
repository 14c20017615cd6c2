package io.camelvan.router.cli;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.ClientOptions;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.ConnectionOptions;
import org.apache.qpid.protonj2.client.Delivery;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.Sender;
import org.apache.qpid.protonj2.client.exceptions.ClientException;

import io.camelvan.router.config.ListenerConfig;
import io.camelvan.router.config.ListenerRole;
import io.camelvan.router.config.Secrets;
import io.camelvan.router.config.SiteConfig;
import io.camelvan.router.management.ManagementEndpoint;

/**
 * The CLI's connection to a running router's management endpoint, over the site's first normal
 * listener (as user {@code $VAN_USER} / {@code $VAN_PASSWORD}, else the site's first user, else
 * anonymously).
 */
final class ManagementClient implements AutoCloseable {

    /** A management reply. */
    record Reply(int status, String description, Object body) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> entities() {
            return body instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> entity() {
            return body instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        }
    }

    private static final long TIMEOUT_SECONDS = 10;

    private final Client client;
    private final Connection connection;
    private final Sender sender;
    private final Receiver replies;
    private final String target;

    private ManagementClient(Client client, Connection connection, String target) throws Exception {
        this.client = client;
        this.connection = connection;
        this.target = target;
        this.sender = connection.openAnonymousSender();
        this.replies = connection.openDynamicReceiver();
        replies.openFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * Connects to the router of {@code site}.
     *
     * @param routerId another router of the network to manage through this one, or null for this one
     * @throws IllegalStateException with a clear message when the router cannot be reached
     */
    static ManagementClient connect(SiteConfig site, String routerId) {
        ListenerConfig listener = site.listeners().stream().filter(l -> l.role() == ListenerRole.NORMAL && l.tls() == null)
            .findFirst().orElseThrow(() -> new IllegalStateException(
                "the site has no plain normal listener to reach its router's management endpoint"));
        String host = listener.host().equals("0.0.0.0") || listener.host().equals("::") ? "127.0.0.1" : listener.host();
        ConnectionOptions options = new ConnectionOptions().openTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .requestTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        String user = System.getenv("VAN_USER");
        String password = System.getenv("VAN_PASSWORD");
        if (user == null && !site.users().isEmpty()) {
            user = site.users().get(0).name();
            password = Secrets.resolve(site.users().get(0).password());
        }
        if (user != null) {
            options.user(user).password(password);
        }
        Client client = Client.create(new ClientOptions().id("van-router-cli-" + UUID.randomUUID()));
        try {
            Connection connection = client.connect(host, listener.port(), options);
            connection.openFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String target = routerId == null ? ManagementEndpoint.ADDRESS : "_van/" + routerId + "/" + ManagementEndpoint.ADDRESS;
            return new ManagementClient(client, connection, target);
        } catch (Exception e) {
            client.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot reach the router of site '" + site.site() + "' at " + host + ":"
                + listener.port() + " (is it running?): " + cause.getMessage(), e);
        }
    }

    Reply request(String operation, String type, String name, Map<String, Object> attributes) {
        try {
            String id = UUID.randomUUID().toString();
            Message<Object> request = Message.create((Object) attributes)
                .to(target).replyTo(replies.address()).messageId(id)
                .property("operation", operation).property("type", type);
            if (name != null) {
                request.property("name", name);
            }
            sender.send(request);
            Delivery delivery = replies.receive(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (delivery == null) {
                throw new IllegalStateException("the router did not answer within " + TIMEOUT_SECONDS + " s");
            }
            Message<Object> reply = delivery.message();
            return new Reply(((Number) reply.property("statusCode")).intValue(),
                String.valueOf(reply.property("statusDescription")), reply.body());
        } catch (ClientException e) {
            throw new IllegalStateException("management request failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        connection.close();
        client.close();
    }
}
