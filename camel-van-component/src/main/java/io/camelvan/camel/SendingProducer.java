package io.camelvan.camel;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.qpid.protonj2.client.DeliveryMode;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Sender;
import org.apache.qpid.protonj2.client.SenderOptions;
import org.apache.qpid.protonj2.client.exceptions.ClientSendTimedOutException;

/**
 * A producer that sends one AMQP message per exchange to the endpoint's address and completes the exchange
 * asynchronously: when the message is accepted end to end (InOnly), or when its reply arrives (request-reply). A
 * message that comes back released or modified (its consumer failed, or went away) is sent again, up to
 * {@code maxResends} times after a delay that doubles each time from {@code resendDelay}, so that another consumer
 * anywhere in the network can take it.
 */
public abstract class SendingProducer extends DefaultAsyncProducer {

    private static final long MAX_RESEND_DELAY_MILLIS = 10_000;

    private final VanEndpoint endpoint;
    private Sender sender;
    private OutcomeWatcher watcher;
    private ExecutorService completions;
    private ScheduledExecutorService resends;

    protected SendingProducer(VanEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    /** The AMQP message for an exchange. */
    protected abstract Message<?> request(Exchange exchange, String messageId) throws Exception;

    /** Whether the exchange waits for a reply. */
    protected abstract boolean expectsReply(Exchange exchange);

    /** Turns the reply into the exchange's message. */
    protected abstract void onReply(Exchange exchange, Message<?> reply) throws Exception;

    @Override
    public VanEndpoint getEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        SenderOptions options = new SenderOptions()
            .deliveryMode(endpoint.isFireAndForget() ? DeliveryMode.AT_MOST_ONCE : DeliveryMode.AT_LEAST_ONCE)
            .sendTimeout(endpoint.getRequestTimeout());
        sender = endpoint.routerConnection().connection().openSender(endpoint.address().key(), options);
        completions = endpoint.getCamelContext().getExecutorServiceManager()
            .newCachedThreadPool(this, "VanProducer[" + endpoint.address().key() + "]");
        resends = endpoint.getCamelContext().getExecutorServiceManager()
            .newSingleThreadScheduledExecutor(this, "VanResends[" + endpoint.address().key() + "]");
        watcher = new OutcomeWatcher(endpoint.address().key(), this::onOutcome);
    }

    @Override
    protected void doStop() throws Exception {
        if (watcher != null) {
            watcher.close();
        }
        if (sender != null) {
            sender.close();
        }
        if (resends != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdown(resends);
        }
        if (completions != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdown(completions);
        }
        super.doStop();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        String messageId = UUID.randomUUID().toString();
        PendingSend pending;
        try {
            Message<?> message = request(exchange, messageId);
            messageId = String.valueOf(message.messageId());
            // a reply carries the request's correlation-id when it has one, else its message-id
            String correlation = message.correlationId() != null ? message.correlationId().toString() : messageId;
            boolean reply = expectsReply(exchange);
            pending = new PendingSend(exchange, callback, message, messageId, reply,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(endpoint.getRequestTimeout()), completions);
            if (reply) {
                awaitReply(pending, correlation);
            }
            if (endpoint.isFireAndForget()) {
                sender.send(message);
                if (!reply) {
                    exchange.getMessage().setHeader(VanConstants.MESSAGE_ID, messageId);
                    callback.done(true);
                    return true;
                }
                return false;
            }
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        send(pending);
        return false;
    }

    private void awaitReply(PendingSend pending, String correlation) throws Exception {
        ReplyCorrelator replies = endpoint.routerConnection().replies();
        pending.message.replyTo(replies.address());
        CompletableFuture<Message<?>> future = replies.expect(correlation);
        future.orTimeout(endpoint.getRequestTimeout(), TimeUnit.MILLISECONDS)
            .whenCompleteAsync((reply, error) -> {
                replies.forget(correlation);
                if (error != null) {
                    pending.fail(error instanceof java.util.concurrent.TimeoutException
                        ? new ExchangeTimedOutException(pending.exchange, endpoint.getRequestTimeout(),
                            "no reply from " + endpoint.address().key())
                        : error);
                    return;
                }
                try {
                    onReply(pending.exchange, reply);
                    pending.succeed();
                } catch (Exception e) {
                    pending.fail(e);
                }
            }, completions);
    }

    /** Sends (again); blocks while the router has no credit for the address, at most {@code requestTimeout}. */
    private void send(PendingSend pending) {
        try {
            pending.tracker = sender.send(pending.message);
            watcher.watch(pending);
        } catch (ClientSendTimedOutException e) {
            RouterConnection rc = endpoint.routerConnection();
            pending.fail(new VanDeliveryException(rc.isConnected()
                ? "no consumer of '" + endpoint.address().key() + "' became reachable within "
                    + endpoint.getRequestTimeout()
                    + " ms (the router lets a message in only while a consumer of its address is reachable)"
                : "the VAN router at " + rc.url() + " is not reachable"
                    + (rc.lastFailure() == null ? "" : " (" + rc.lastFailure() + ")") + "; the message to '"
                    + endpoint.address().key() + "' was not sent within " + endpoint.getRequestTimeout() + " ms",
                "no-credit", pending.exchange));
        } catch (Exception e) {
            pending.fail(e);
        }
    }

    private void onOutcome(PendingSend pending, OutcomeWatcher.Outcome outcome, String detail) {
        switch (outcome) {
            case ACCEPTED -> {
                if (!pending.expectsReply) {
                    pending.exchange.getMessage().setHeader(VanConstants.MESSAGE_ID, pending.messageId);
                    pending.succeed();
                }
            }
            case RELEASED, MODIFIED, LOST -> {
                if (pending.resends < endpoint.getMaxResends()) {
                    // back off: a consumer that just went away (or failed) leaves time for another to take over
                    long delay = Math.min(MAX_RESEND_DELAY_MILLIS, endpoint.getResendDelay() << pending.resends);
                    pending.resends++;
                    resends.schedule(() -> completions.execute(() -> send(pending)), delay, TimeUnit.MILLISECONDS);
                } else {
                    pending.fail(new VanDeliveryException("the message to '" + endpoint.address().key() + "' came back "
                        + outcome.name().toLowerCase() + " after " + (pending.resends + 1)
                        + " sends (its consumers failed to process it or went away)" + (detail == null ? "" : ": " + detail),
                        outcome.name().toLowerCase(), pending.exchange));
                }
            }
            case REJECTED -> pending.fail(new VanDeliveryException("the consumer of '" + endpoint.address().key()
                + "' rejected the message" + (detail == null ? "" : ": " + detail), "rejected", pending.exchange));
            case TIMED_OUT -> pending.fail(new ExchangeTimedOutException(pending.exchange,
                endpoint.getRequestTimeout(), "the message to '" + endpoint.address().key() + "' was not settled"));
        }
    }
}
