package io.camelvan.itests.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

/**
 * The baseline: an embedded Apache ActiveMQ Artemis broker in this JVM with an AMQP-only acceptor on
 * 127.0.0.1. Persistence (and so the journal) is off, security is off, and any address a client
 * names is auto-created as an ANYCAST queue; dynamic receivers get temporary queues.
 */
public final class ArtemisTarget implements Target {

    private final EmbeddedActiveMQ broker;
    private final int port;

    private ArtemisTarget(EmbeddedActiveMQ broker, int port) {
        this.broker = broker;
        this.port = port;
    }

    public static ArtemisTarget start(Path dataDir) throws Exception {
        int port = freePort();
        Files.createDirectories(dataDir);
        Configuration config = new ConfigurationImpl()
            .setName("bench-broker")
            .setPersistenceEnabled(false)
            .setSecurityEnabled(false)
            .setJMXManagementEnabled(false)
            .setBindingsDirectory(dataDir.resolve("bindings").toString())
            .setJournalDirectory(dataDir.resolve("journal").toString())
            .setPagingDirectory(dataDir.resolve("paging").toString())
            .setLargeMessagesDirectory(dataDir.resolve("large-messages").toString())
            .addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + port + "?protocols=AMQP");
        config.setCriticalAnalyzer(false);
        AddressSettings everything = new AddressSettings()
            .setAutoCreateAddresses(true)
            .setAutoCreateQueues(true)
            .setDefaultAddressRoutingType(RoutingType.ANYCAST)
            .setDefaultQueueRoutingType(RoutingType.ANYCAST);
        config.addAddressSetting("#", everything);
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        return new ArtemisTarget(broker, port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public String description() {
        return "Apache ActiveMQ Artemis " + broker.getActiveMQServer().getVersion().getFullVersion()
            + " embedded, AMQP acceptor on 127.0.0.1, persistence/journal off, security off, "
            + "auto-created ANYCAST queues";
    }

    @Override
    public boolean ownsThread(String threadName) {
        // Artemis names its pools "Thread-N (activemq-netty-threads)", "Thread-N (ActiveMQ-server-...)", ...
        return threadName.toLowerCase(java.util.Locale.ROOT).contains("activemq");
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() {
        try {
            broker.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the broker", e);
        }
    }
}
