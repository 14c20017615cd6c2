package io.camelvan.camel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.qpid.protonj2.client.Delivery;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.ReceiverOptions;
import org.apache.qpid.protonj2.client.exceptions.ClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer of whole messages: {@code concurrentConsumers} threads, each with a receiver link of its own on the
 * endpoint's address with {@code prefetch} credit, each processing one delivery at a time and settling it itself.
 * On suspend or stop, each thread finishes the exchange it is on and closes its link; deliveries prefetched but not
 * started go back to the router, and from there to their senders, which send them again.
 */
public abstract class ReceivingConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ReceivingConsumer.class);
    private static final long POLL_MILLIS = 200;

    private final VanEndpoint endpoint;
    private ExecutorService threads;
    private volatile boolean receiving;

    protected ReceivingConsumer(VanEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    /** Processes one delivery and settles it. */
    protected abstract void onDelivery(Delivery delivery) throws Exception;

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
        for (int i = 0; i < n; i++) {
            threads.execute(this::receiveLoop);
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
                    process(delivery);
                }
            }
        } finally {
            // deliveries prefetched but not started go back to the router, and from there to their senders
            receiver.close();
        }
    }

    private void process(Delivery delivery) {
        try {
            onDelivery(delivery);
        } catch (Exception e) {
            getExceptionHandler().handleException("Failed to process a message from " + endpoint.getEndpointUri(), e);
            settleQuietly(delivery, false);
        }
    }

    /** Releases a delivery (or rejects it, with {@code reject}), logging rather than throwing if that fails. */
    protected void settleQuietly(Delivery delivery, boolean reject) {
        try {
            if (reject) {
                delivery.reject("amqp:internal-error", "the consuming route failed");
            } else {
                delivery.release();
            }
        } catch (ClientException e) {
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

}
