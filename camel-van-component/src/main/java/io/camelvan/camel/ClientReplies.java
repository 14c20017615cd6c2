package io.camelvan.camel;

import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.Delivery;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.ReceiverOptions;
import org.apache.qpid.protonj2.client.exceptions.ClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Replies on a dynamic receiver of the AMQP connection, taken in by one thread. */
final class ClientReplies extends ReplyCorrelator {

    private static final Logger LOG = LoggerFactory.getLogger(ClientReplies.class);
    private static final int CREDIT = 1000;

    private final Receiver receiver;
    private final Thread thread;
    private volatile boolean open = true;

    ClientReplies(Connection connection) throws ClientException {
        this.receiver = connection.openDynamicReceiver(new ReceiverOptions().creditWindow(CREDIT).autoAccept(true));
        this.thread = new Thread(this::receiveReplies, "van-replies");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    String address() throws ClientException {
        return receiver.address();
    }

    private void receiveReplies() {
        while (open) {
            try {
                Delivery d = receiver.receive(200, TimeUnit.MILLISECONDS);
                if (d != null) {
                    onReply(d.message());
                }
            } catch (Exception e) {
                if (open) {
                    LOG.debug("reply receiver: {}", e.getMessage());
                    // after a reconnect the client re-attaches the link; until then receive fails fast
                    sleepQuietly();
                }
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        open = false;
        receiver.close();
        super.close();
    }
}
