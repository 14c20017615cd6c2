package io.camelvan.router.adaptor.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.types.messaging.Properties;
import org.apache.qpid.protonj2.types.transport.DeliveryState;

import io.camelvan.router.amqp.ByteBufs;
import io.camelvan.router.adaptor.MessageHeads;
import io.camelvan.router.adaptor.ReadGate;
import io.camelvan.router.adaptor.StreamSender;
import io.camelvan.router.amqp.DataSections;
import io.camelvan.router.core.RouterCore;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Sends one HTTP message (a request, or a response) as an AMQP message. A message that is small and
 * has all arrived by the end of a read goes as one whole message (so it crosses the mesh on the
 * shared data link, and its length is known: {@code content-length} is added); otherwise it is
 * routed as soon as the read ends and its body streamed on as it arrives. A whole message keeps its
 * body until the caller lets go of it, so that it can be sent again after a connector released it.
 * On the channel's event loop.
 */
final class HttpMessageSender {

    /** Largest body sent as a whole message. */
    static final int WHOLE_LIMIT = 64 * 1024;
    static final String CONTENT_LENGTH = "content-length";

    /** When a whole message gets a {@code content-length} it lacks. */
    enum Length {
        /** never: a response to HEAD, or one that has no body by its status */
        NEVER,
        /** when its body is not empty: a request (a GET stays without one) */
        WHEN_NOT_EMPTY,
        /** always: a response */
        ALWAYS
    }

    /** What the sender of the message hears of it. */
    interface Events {
        /** The consumer's outcome of the latest send; once per send. */
        void outcome(DeliveryState outcome);
    }

    private final RouterCore core;
    private final Channel channel;
    private final ReadGate gate;
    private final Events events;
    private final List<ByteBuf> held = new ArrayList<>();
    private String to;
    private Properties properties;
    private Map<String, Object> applicationProperties;
    private Length length;
    /** The body's length as the message's {@code content-length} says, or -1. */
    private long declaredLength;
    private long bodySize;
    private StreamSender sender;
    private boolean whole;
    private boolean ended;
    private int attempts;

    HttpMessageSender(RouterCore core, Channel channel, ReadGate gate, Events events) {
        this.core = core;
        this.channel = channel;
        this.gate = gate;
        this.events = events;
    }

    /** The start of the message; nothing is sent yet. */
    void head(String address, Properties props, Map<String, Object> appProperties, Length lengthRule) {
        this.to = address;
        this.properties = props;
        this.applicationProperties = appProperties;
        this.length = lengthRule;
        this.declaredLength = declaredLength(appProperties.get(CONTENT_LENGTH));
    }

    private static long declaredLength(Object header) {
        try {
            return header == null ? -1 : Long.parseLong(header.toString().trim());
        } catch (NumberFormatException e) {
            return -1; // several values, or not a number: Netty's decoder reads the body by its own rules
        }
    }

    /** Body bytes (ownership passes here). @return false when the message could not be routed: no consumer */
    boolean body(ByteBuf bytes) {
        bodySize += bytes.readableBytes();
        if (sender != null) {
            sender.send(bytes);
            return true;
        }
        held.add(bytes);
        return bodySize <= WHOLE_LIMIT || stream();
    }

    /** The last body byte has arrived. @return false when the message could not be routed */
    boolean end() {
        ended = true;
        if (sender == null) {
            return sendWhole();
        }
        if (bodySize == 0) {
            sender.sendEmptySection();
        }
        sender.complete();
        return true;
    }

    /**
     * A read has ended with the message still incomplete: route it and stream the rest, unless its
     * declared length says the rest is small (a server often writes a response's head and body
     * apart): then it waits to go whole, one transfer instead of a stream of three.
     */
    boolean readComplete() {
        return sender != null || ended || declaredLength >= 0 && declaredLength <= WHOLE_LIMIT || stream();
    }

    long bodySize() {
        return bodySize;
    }

    /** Whether it can be sent again from the start (a whole message whose body is still held). */
    boolean canResend() {
        return whole && ended;
    }

    /** Sends the whole message again. @return false when no consumer can be reached now */
    boolean resend() {
        return sendWhole();
    }

    /** No resend will be needed: the body held for one goes. */
    void letGo() {
        held.forEach(ByteBuf::release);
        held.clear();
        whole = false;
    }

    /** The message will not be finished: a streamed copy is aborted, held bytes go. */
    void abort() {
        if (sender != null) {
            sender.abort();
        }
        letGo();
        ended = true;
    }

    private boolean stream() {
        sender = newSender();
        ProtonBuffer head = MessageHeads.encode(sender.allocator(), properties, applicationProperties);
        if (!sender.start(to, head, false)) {
            letGo();
            return false;
        }
        held.forEach(sender::send);
        held.clear();
        return true;
    }

    private boolean sendWhole() {
        whole = true;
        Map<String, Object> ap = applicationProperties;
        boolean addLength = length == Length.ALWAYS || (length == Length.WHEN_NOT_EMPTY && bodySize > 0);
        if (addLength && !ap.containsKey(CONTENT_LENGTH)) {
            ap = new LinkedHashMap<>(ap);
            ap.put(CONTENT_LENGTH, Long.toString(bodySize));
        }
        sender = newSender();
        ByteBuf head = ByteBufs.toByteBuf(MessageHeads.encode(sender.allocator(), properties, ap));
        ByteBuf section = ByteBufs.toByteBuf(DataSections.header(sender.allocator(), (int) bodySize));
        ByteBuf message = channel.alloc().buffer(head.readableBytes() + section.readableBytes() + (int) bodySize);
        message.writeBytes(head).writeBytes(section);
        head.release();
        section.release();
        // a copy of at most WHOLE_LIMIT bytes, so that the held body stays for a resend
        held.forEach(bytes -> message.writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes()));
        return sender.start(to, sender.allocator().wrap(message).convertToReadOnly(), true);
    }

    private StreamSender newSender() {
        int attempt = ++attempts;
        return new StreamSender(core, channel, gate, outcome -> {
            if (attempt == attempts) {
                events.outcome(outcome);
            }
        });
    }
}
