package io.camelvan.camel;

import java.util.ArrayList;
import java.util.List;
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
 * On stop, each thread finishes the exchange it is on; deliveries prefetched but not started go back to the router
 * when the links close, and from there to their senders, which send them again.
 */
public abstract class ReceivingConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(ReceivingConsumer.class);
    private static final long POLL_MILLIS = 200;

    private final VanEndpoint endpoint;
    private final List<Receiver> receivers = new ArrayList<>();
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
        receiving = true;
        int n = endpoint.getConcurrentConsumers();
        threads = endpoint.getCamelContext().getExecutorServiceManager()
            .newFixedThreadPool(this, "VanConsumer[" + endpoint.address().key() + "]", n);
        for (int i = 0; i < n; i++) {
            Receiver receiver = endpoint.routerConnection().connection().openReceiver(endpoint.address().key(),
                new ReceiverOptions().autoAccept(false).creditWindow(endpoint.getPrefetch()));
            receivers.add(receiver);
            threads.execute(() -> receiveLoop(receiver));
        }
    }

    private void receiveLoop(Receiver receiver) {
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
            if (delivery == null) {
                continue;
            }
            try {
                onDelivery(delivery);
            } catch (Exception e) {
                getExceptionHandler().handleException("Failed to process a message from " + endpoint.getEndpointUri(), e);
                settleQuietly(delivery, false);
            }
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

    @Override
    protected void doStop() throws Exception {
        receiving = false;
        if (threads != null) {
            // each thread ends after the exchange it is on
            endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(threads);
            threads = null;
        }
        receivers.forEach(Receiver::close);
        receivers.clear();
        super.doStop();
    }
}
