package io.camelvan.camel;

import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.qpid.protonj2.client.Message;

/**
 * A producer that sends one AMQP message per exchange to the endpoint's address and completes the exchange when
 * the message is accepted end to end (InOnly), or when its reply arrives (request-reply). A message that comes back
 * released or modified (its consumer failed, or went away) is sent again, up to {@code maxResends} times after a
 * delay that doubles each time from {@code resendDelay}, so that another consumer anywhere in the network can take
 * it.
 */
public abstract class SendingProducer extends DefaultAsyncProducer {

    private static final long MAX_RESEND_DELAY_MILLIS = 10_000;

    private final VanEndpoint endpoint;
    /**
     * Message ids: a random prefix per producer and a sequence number, as JMS clients make them. A random UUID per
     * message would draw on the JDK's shared SecureRandom, a lock every sending thread waits on.
     */
    private final String messageIdPrefix = "ID:" + UUID.randomUUID() + ":";
    private final AtomicLong messageSequence = new AtomicLong();
    private MessageTransport transport;
    private OutgoingLink link;
    private OutcomeWatcher watcher;
    private ExecutorService completions;
    private ScheduledExecutorService resends;

    protected SendingProducer(VanEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    /** How the messages reach the router: the endpoint's, unless a subclass needs the AMQP connection. */
    protected MessageTransport transport() {
        return endpoint.routerConnection();
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
        transport = transport();
        link = transport.openSender(endpoint.address().key(), endpoint.isFireAndForget(), endpoint.getRequestTimeout());
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
        if (link != null) {
            link.close();
        }
        if (resends != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdown(resends);
        }
        if (completions != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdown(completions);
        }
        super.doStop();
    }

    /**
     * Sends and waits for the outcome (InOnly) or the reply (request-reply) in the calling thread, as a synchronous
     * JMS send does: a caller of a Camel route waits for the exchange anyway, and waiting here itself spares the
     * hand-offs of an outcome from protonj2-client's I/O thread through a watcher and an executor to the caller. Only
     * an InOnly message that comes back released, modified or lost continues asynchronously: it is sent again after a
     * delay and the exchange completes when the outcome of a later send is known.
     */
    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        if (expectsReply(exchange)) {
            requestReply(exchange, callback);
            callback.done(true);
            return true;
        }
        return sendInOnly(exchange, callback);
    }

    private boolean sendInOnly(Exchange exchange, AsyncCallback callback) {
        PendingSend pending;
        try {
            Message<?> message = request(exchange, nextMessageId());
            String messageId = String.valueOf(message.messageId());
            if (endpoint.isFireAndForget()) {
                link.send(message);
                exchange.getMessage().setHeader(VanConstants.MESSAGE_ID, messageId);
                callback.done(true);
                return true;
            }
            pending = new PendingSend(exchange, callback, message, messageId, null, deadline(), completions);
            send(pending);
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        OutgoingLink.Settlement settlement = pending.sent.await(pending.deadlineNanos);
        if (settlement.outcome() == OutgoingLink.Outcome.ACCEPTED) {
            pending.finishInCaller();
            exchange.getMessage().setHeader(VanConstants.MESSAGE_ID, pending.messageId);
            callback.done(true);
            return true;
        }
        Throwable failure = resendOrFail(pending, settlement.outcome(), settlement.detail());
        if (failure == null) {
            // sent again after a delay: the watcher sees the later outcomes and completes the exchange
            return false;
        }
        pending.finishInCaller();
        exchange.setException(failure);
        callback.done(true);
        return true;
    }

    private void requestReply(Exchange exchange, AsyncCallback callback) {
        PendingSend pending = null;
        ReplyCorrelator replies = null;
        String correlation = null;
        try {
            Message<?> message = request(exchange, nextMessageId());
            String messageId = String.valueOf(message.messageId());
            // a reply carries the request's correlation-id when it has one, else its message-id
            correlation = message.correlationId() != null ? message.correlationId().toString() : messageId;
            replies = transport.replies();
            message.replyTo(replies.address());
            pending = new PendingSend(exchange, callback, message, messageId, replies.expect(correlation), deadline(),
                completions);
            if (endpoint.isFireAndForget()) {
                link.send(message);
            } else {
                send(pending);
                // the watcher sends the request again if it comes back released, and fails the reply if it cannot
                watcher.watch(pending);
            }
            onReply(exchange, pending.reply.get(Math.max(0, pending.deadlineNanos - System.nanoTime()),
                TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            exchange.setException(new ExchangeTimedOutException(exchange, endpoint.getRequestTimeout(),
                "no reply from " + endpoint.address().key() + requestState(pending)));
        } catch (ExecutionException e) {
            exchange.setException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.setException(e);
        } catch (Exception e) {
            exchange.setException(e);
        } finally {
            if (pending != null) {
                pending.finishInCaller();
            }
            if (correlation != null && replies != null) {
                replies.forget(correlation);
            }
        }
    }

    /** What became of a request that got no reply, to tell a lost request from a lost reply. */
    private static String requestState(PendingSend pending) {
        OutgoingLink.Sent sent = pending.sent;
        if (sent == null) {
            return "";
        }
        return sent.isSettled()
            ? " (the request was settled " + sent.outcomeName() + " by "
                + (pending.resends == 0 ? "its consumer" : "a consumer, after " + pending.resends + " resends")
                + ": the reply was lost or is late)"
            : " (the request was not settled either)";
    }

    private String nextMessageId() {
        return messageIdPrefix + messageSequence.incrementAndGet();
    }

    private long deadline() {
        return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(endpoint.getRequestTimeout());
    }

    /** Sends (again); blocks while no consumer of the address is reachable, at most {@code requestTimeout}. */
    private void send(PendingSend pending) throws Exception {
        try {
            pending.sent = link.send(pending.message);
        } catch (TimeoutException e) {
            throw new VanDeliveryException(e.getMessage(), "no-credit", pending.exchange);
        }
    }

    private void resend(PendingSend pending) {
        if (pending.isDone()) {
            return;
        }
        try {
            send(pending);
            watcher.watch(pending);
        } catch (Exception e) {
            pending.fail(e);
        }
    }

    /** An outcome of a message sent again, or of a request, on the watcher's thread. */
    private void onOutcome(PendingSend pending, OutgoingLink.Outcome outcome, String detail) {
        if (outcome == OutgoingLink.Outcome.ACCEPTED) {
            // a request-reply exchange is finished by its reply
            if (!pending.expectsReply()) {
                pending.exchange.getMessage().setHeader(VanConstants.MESSAGE_ID, pending.messageId);
                pending.complete(null);
            }
            return;
        }
        Throwable failure = resendOrFail(pending, outcome, detail);
        if (failure != null) {
            pending.fail(failure);
        }
    }

    /**
     * For an outcome other than accepted: schedules the message to be sent again when it came back released,
     * modified or lost and resends remain (then null), else the exchange's failure.
     */
    private Throwable resendOrFail(PendingSend pending, OutgoingLink.Outcome outcome, String detail) {
        return switch (outcome) {
            case RELEASED, MODIFIED, LOST -> {
                if (pending.resends < endpoint.getMaxResends()) {
                    // back off: a consumer that just went away (or failed) leaves time for another to take over
                    long delay = Math.min(MAX_RESEND_DELAY_MILLIS, endpoint.getResendDelay() << pending.resends);
                    pending.resends++;
                    resends.schedule(() -> completions.execute(() -> resend(pending)), delay, TimeUnit.MILLISECONDS);
                    yield null;
                }
                yield new VanDeliveryException("the message to '" + endpoint.address().key() + "' came back "
                    + outcome.name().toLowerCase() + " after " + (pending.resends + 1)
                    + " sends (its consumers failed to process it or went away)"
                    + (detail == null ? "" : ": " + detail),
                    outcome.name().toLowerCase(), pending.exchange);
            }
            case REJECTED -> new VanDeliveryException("the consumer of '" + endpoint.address().key()
                + "' rejected the message" + (detail == null ? "" : ": " + detail), "rejected", pending.exchange);
            case TIMED_OUT -> new ExchangeTimedOutException(pending.exchange, endpoint.getRequestTimeout(),
                "the message to '" + endpoint.address().key() + "' was not settled");
            case ACCEPTED -> throw new IllegalArgumentException("accepted is not a failure");
        };
    }
}
