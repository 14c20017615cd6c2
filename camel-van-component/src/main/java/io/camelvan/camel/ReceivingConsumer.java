package io.camelvan.camel;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import io.camelvan.router.amqp.AmqpErrors;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.client.Delivery;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.ReceiverOptions;
import org.apache.qpid.protonj2.client.exceptions.ClientException;
import org.apache.qpid.protonj2.client.exceptions.ClientIllegalStateException;
import org.apache.qpid.protonj2.types.Symbol;
import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Rejected;
import org.apache.qpid.protonj2.types.messaging.Released;
import org.apache.qpid.protonj2.types.transport.DeliveryState;
import org.apache.qpid.protonj2.types.transport.ErrorCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer of whole messages: {@code concurrentConsumers} threads, each processing one delivery at a time and
 * settling it itself. Over an AMQP connection each thread has a receiver link of its own on the endpoint's address
 * with {@code prefetch} credit; in-process, the threads share one consumer in the embedded router that takes up to
 * {@code concurrentConsumers × prefetch} ahead. On suspend or stop, each thread finishes the exchange it is on;
 * deliveries prefetched but not started go back to the router, and from there to their senders, which send them
 * again.
 */
public abstract class ReceivingConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ReceivingConsumer.class);
    private static final long POLL_MILLIS = 200;

    private final VanEndpoint endpoint;
    private ExecutorService threads;
    private InProcessTransport.Registration inProcess;
    private volatile boolean receiving;

    protected ReceivingConsumer(VanEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    /** Processes one delivery and settles it. */
    protected abstract void onDelivery(ReceivedMessage delivery) throws Exception;

    /** How the messages come: over the AMQP connection unless a subclass takes them another way. */
    protected MessageTransport transport() {
        return endpoint.routerConnection();
    }

    @Override
    public VanEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        startReceiving();
    }

    @Override
    protected void doResume() throws Exception {
        startReceiving();
    }

    /** Stops taking messages without cutting the links that the exchanges in flight will settle on. */
    @Override
    protected void doSuspend() throws Exception {
        receiving = false;
        stopInProcess();
        if (threads != null) {
            // no waiting here: each thread finishes the exchange it is on, then closes its link and ends
            threads.shutdown();
        }
    }

    /**
     * Graceful shutdown stops the consumer first, then waits for the exchanges in flight: the threads finish theirs
     * (within the shutdown strategy's timeout) and then close their links.
     */
    @Override
    protected void doStop() throws Exception {
        receiving = false;
        stopInProcess();
        if (threads != null) {
            var shutdown = endpoint.getCamelContext().getShutdownStrategy();
            endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(threads,
                shutdown.getTimeUnit().toMillis(shutdown.getTimeout()));
            threads = null;
        }
        super.doStop();
    }

    private void startReceiving() {
        receiving = true;
        int n = endpoint.getConcurrentConsumers();
        threads = endpoint.getCamelContext().getExecutorServiceManager()
            .newFixedThreadPool(this, "VanConsumer[" + endpoint.address().key() + "]", n);
        if (transport() instanceof InProcessTransport router) {
            inProcess = router.receive(endpoint.address().key(), threads, n * endpoint.getPrefetch(),
                this::processInProcess);
            return;
        }
        for (int i = 0; i < n; i++) {
            threads.execute(this::receiveLoop);
        }
    }

    private void stopInProcess() {
        if (inProcess != null) {
            inProcess.close();
            inProcess = null;
        }
    }

    private void receiveLoop() {
        Receiver receiver;
        try {
            receiver = endpoint.routerConnection().connection().openReceiver(endpoint.address().key(),
                new ReceiverOptions().autoAccept(false).creditWindow(endpoint.getPrefetch()));
        } catch (ClientException e) {
            getExceptionHandler().handleException("Cannot receive from " + endpoint.getEndpointUri(), e);
            return;
        }
        try {
            while (receiving) {
                Delivery delivery;
                try {
                    delivery = receiver.receive(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (ClientException e) {
                    if (receiving) {
                        LOG.debug("receiving from {}: {} (the connection is being recovered)", endpoint.address().key(),
                            e.getMessage());
                        pause();
                    }
                    continue;
                }
                if (delivery != null) {
                    process(new ClientDelivery(delivery));
                }
            }
        } finally {
            // deliveries prefetched but not started go back to the router, and from there to their senders
            releaseUnstarted(receiver);
            receiver.close();
        }
    }

    /**
     * Releases the deliveries the receiver holds and has not handed out. Closing the link would release them as
     * well, but protonj2-client 1.1.0 would keep their bytes allocated for good (see {@link ClientDelivery}).
     */
    private void releaseUnstarted(Receiver receiver) {
        try {
            Delivery left;
            while ((left = receiver.tryReceive()) != null) {
                new ClientDelivery(left).release();
            }
        } catch (ClientException e) {
            LOG.debug("could not release the prefetched deliveries from {}: {}", endpoint.address().key(),
                e.getMessage());
        }
    }

    /** One message from the embedded router, on one of the consumer's threads; returns how to settle it. */
    private DeliveryState processInProcess(ProtonBuffer bytes) {
        Message<?> message;
        try {
            message = InProcessTransport.decode(bytes);
        } catch (ClientException e) {
            return new Rejected(AmqpErrors.decodeError("not an AMQP message: " + e.getMessage()));
        }
        InProcessDelivery delivery = new InProcessDelivery(message);
        process(delivery);
        return delivery.outcome;
    }

    private void process(ReceivedMessage delivery) {
        try {
            onDelivery(delivery);
        } catch (Exception e) {
            getExceptionHandler().handleException("Failed to process a message from " + endpoint.getEndpointUri(), e);
            settleQuietly(delivery, false);
        }
    }

    /** Releases a delivery (or rejects it, with {@code reject}), logging rather than throwing if that fails. */
    protected void settleQuietly(ReceivedMessage delivery, boolean reject) {
        try {
            if (reject) {
                delivery.reject("amqp:internal-error", "the consuming route failed");
            } else {
                delivery.release();
            }
        } catch (Exception e) {
            LOG.debug("could not settle a delivery from {}: {}", endpoint.address().key(), e.getMessage());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A delivery on a receiver link of the AMQP connection. protonj2-client 1.1.0 frees a delivery's bytes (a slice
     * of the pooled buffer its transfer came in) only when its message has been decoded or its raw stream closed,
     * not when it is settled: a delivery handed back unread, or whose message failed to decode, is freed here first.
     */
    private record ClientDelivery(Delivery delivery) implements ReceivedMessage {

        @Override
        public Message<?> message() throws ClientException {
            return delivery.message();
        }

        @Override
        public void accept() throws ClientException {
            delivery.accept();
        }

        @Override
        public void release() throws ClientException {
            freeUnread();
            delivery.release();
        }

        @Override
        public void reject(String condition, String description) throws ClientException {
            freeUnread();
            delivery.reject(condition, description);
        }

        private void freeUnread() {
            try {
                delivery.rawInputStream().close();
            } catch (ClientIllegalStateException e) {
                // its message was decoded, which freed the bytes
            } catch (ClientException | IOException e) {
                LOG.debug("could not free a delivery's bytes: {}", e.getMessage());
            }
        }
    }

    /** A message from the embedded router: settling it is choosing the outcome given back when processing ends. */
    private static final class InProcessDelivery implements ReceivedMessage {

        private final Message<?> message;
        /** released unless settled otherwise: an exchange that ends without settling hands the message back */
        private DeliveryState outcome = Released.getInstance();

        InProcessDelivery(Message<?> message) {
            this.message = message;
        }

        @Override
        public Message<?> message() {
            return message;
        }

        @Override
        public void accept() {
            outcome = Accepted.getInstance();
        }

        @Override
        public void release() {
            outcome = Released.getInstance();
        }

        @Override
        public void reject(String condition, String description) {
            outcome = new Rejected(new ErrorCondition(Symbol.valueOf(condition), description));
        }
    }
}
