package io.camelvan.router.adaptor.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Modified;
import org.apache.qpid.protonj2.types.messaging.Properties;
import org.apache.qpid.protonj2.types.messaging.Rejected;
import org.apache.qpid.protonj2.types.messaging.Released;
import org.apache.qpid.protonj2.types.transport.DeliveryState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.adaptor.ActiveWork;
import io.camelvan.router.adaptor.FlowProperties;
import io.camelvan.router.adaptor.StreamReceiver;
import io.camelvan.router.adaptor.tcp.TcpConnectorFlow;
import io.camelvan.router.adaptor.tcp.TcpListenerFlow;
import io.camelvan.router.amqp.AmqpErrors;
import io.camelvan.router.core.RoutedDelivery;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * One request an {@link HttpConnector} was given, made to the server on one {@link ServerConnection}:
 * the request's head is written once its body begins (or is known to be empty, so a GET goes
 * without body headers), its body as it arrives; the server's response goes back to the request's
 * reply address as a message ({@link HttpMessageSender}). The request is accepted once the response
 * has been sent, released when the server could not be reached (nothing was sent, so the listener
 * may send it elsewhere), and modified when the server failed after that. A request that is a TCP
 * flow (an upgraded connection) goes on as one. On the connection's event loop.
 */
final class HttpConnectorExchange implements StreamReceiver.Sink, HttpMessageSender.Events, ActiveWork {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnectorExchange.class);
    private static final DeliveryState FAILED = new Modified(true, false);
    /** Methods a request of which may be sent again when the server closed the connection without answering. */
    private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
        HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);
    /** The most of a request kept to send it again; a larger one gets a 502 instead. */
    private static final int REPLAY_LIMIT = 64 * 1024;

    private final HttpConnector connector;
    private ServerConnection connection;
    private final RoutedDelivery delivery;
    private final List<Object> early = new ArrayList<>();
    private StreamReceiver request;
    private Object requestId;
    private String replyTo;
    private HttpMethod method;
    private HttpRequest head;
    private boolean headSeen;
    private boolean headWritten;
    private boolean requestWritten;
    private HttpMessageSender response;
    private boolean keepAlive;
    private boolean responseEnded;
    private boolean done;
    /**
     * What was written of the request, while it may be sent again on a new connection: it is on a
     * connection from the pool, which the server may close just as the request arrives (its idle
     * timeout), and HTTP clients send an idempotent request again then. Null otherwise.
     */
    private List<Object> replay;
    private int replayBytes;

    HttpConnectorExchange(HttpConnector connector, ServerConnection connection, RoutedDelivery delivery) {
        this.connector = connector;
        this.connection = connection;
        this.delivery = delivery;
    }

    /** Gives back a request no connection will carry (the connector closed while it waited). */
    static void refuse(RoutedDelivery delivery) {
        delivery.stream().closeReader();
        delivery.finish(Released.getInstance());
    }

    void start() {
        connector.started(this);
        request = new StreamReceiver(delivery, connection.loop(), this);
        request.pump();
    }

    private Channel channel() {
        return connection.channel();
    }

    // ----- the request, as it arrives

    @Override
    public void head(Properties properties, Map<String, Object> applicationProperties) {
        headSeen = true;
        if (TcpListenerFlow.SUBJECT.equals(properties.getSubject())) {
            // an upgraded connection: raw bytes both ways on a connection of its own
            done = true;
            connector.ended(this);
            connection.released(this, true);
            new TcpConnectorFlow(connector, delivery, connection.loop()).takeOver(request, properties, applicationProperties);
            return;
        }
        requestId = properties.getMessageId();
        replyTo = properties.getReplyTo();
        if (replyTo == null || properties.getSubject() == null) {
            request.settle(new Rejected(AmqpErrors.invalidField("an HTTP request needs a reply-to address and a method (subject)")));
            finish(true);
            return;
        }
        method = HttpMethod.valueOf(properties.getSubject());
        Object path = applicationProperties.get(HttpHeaderMapping.PATH);
        head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, path == null ? "/" : path.toString());
        HttpHeaderMapping.restore(applicationProperties, head.headers());
        Object authority = applicationProperties.get(HttpHeaderMapping.AUTHORITY);
        head.headers().set(HttpHeaderNames.HOST, authority != null ? authority.toString()
            : connector.config().host() + ":" + connector.config().port());
        if (properties.getContentType() != null && !head.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, properties.getContentType());
        }
        replay = connection.wasReused() && IDEMPOTENT.contains(method) ? new ArrayList<>() : null;
    }

    @Override
    public void data(ByteBuf bytes) {
        if (done) {
            bytes.release();
            return;
        }
        writeHead(true);
        write(new DefaultHttpContent(bytes));
    }

    @Override
    public void end() {
        if (done) {
            return;
        }
        writeHead(false);
        write(LastHttpContent.EMPTY_LAST_CONTENT);
        requestWritten = true;
        flush();
    }

    /** The head goes out with the first body bytes, or alone once the body is known to be empty. */
    private void writeHead(boolean body) {
        if (headWritten) {
            return;
        }
        headWritten = true;
        if (!head.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            if (body) {
                HttpUtil.setTransferEncodingChunked(head, true);
            } else if (method.equals(HttpMethod.POST) || method.equals(HttpMethod.PUT) || method.equals(HttpMethod.PATCH)) {
                HttpUtil.setContentLength(head, 0);
            }
        }
        write(head);
    }

    private void write(Object message) {
        keepForReplay(message);
        if (connection.isConnected()) {
            channel().write(message, channel().voidPromise());
        } else {
            early.add(message);
        }
    }

    private void keepForReplay(Object message) {
        if (replay == null) {
            return;
        }
        if (message instanceof HttpContent content && content.content().isReadable()) {
            replayBytes += content.content().readableBytes();
            if (replayBytes > REPLAY_LIMIT) {
                dropReplay();
                return;
            }
            message = content.retainedDuplicate();
        }
        replay.add(message);
    }

    private void dropReplay() {
        if (replay != null) {
            replay.forEach(ReferenceCountUtil::release);
            replay = null;
        }
    }

    /** The request goes on on {@code fresh}: what was written goes out again once it is connected. */
    void movedTo(ServerConnection fresh) {
        connection = fresh;
        if (replay != null) {
            early.addAll(replay);
            replay = null;
        }
    }

    @Override
    public boolean writable() {
        // read as far as the head before the connection is up, then as fast as the server takes it
        return !done && (!headSeen || (connection.isConnected() && channel().isWritable()));
    }

    @Override
    public void flush() {
        if (connection.isConnected()) {
            channel().flush();
        }
    }

    @Override
    public void aborted(String why) {
        fail("the client side gave up the request: " + why);
    }

    // ----- the server connection

    /** The connection to the server is up: what waited for it goes out. */
    void connected() {
        early.forEach(message -> channel().write(message, channel().voidPromise()));
        early.clear();
        flush();
        request.pump();
    }

    void outputDrained() {
        request.pump();
    }

    void refused(Throwable cause) {
        if (done) {
            return;
        }
        LOG.debug("[{}] {}: the server refused: {}", connector.core().routerId(), connector, cause.toString());
        // nothing reached a server: the listener may send the request elsewhere
        request.settle(Released.getInstance());
        finish(false);
    }

    /** A part of the server's response. */
    void response(Object message) {
        if (done) {
            ReferenceCountUtil.release(message);
            return;
        }
        if (message instanceof HttpResponse status) {
            if (status.decoderResult().isFailure() || status.status().code() == 101) {
                ReferenceCountUtil.release(message);
                fail("the server's response is not HTTP/1.1 as expected");
                return;
            }
            if (status.status().code() < 200) {
                ReferenceCountUtil.release(message); // 100 Continue and the like stay on this hop
                return;
            }
            startResponse(status);
        }
        if (message instanceof HttpContent content) {
            if (response == null) {
                content.release();
                return;
            }
            boolean last = content instanceof LastHttpContent;
            ByteBuf bytes = content.content();
            boolean routed = bytes.isReadable() ? response.body(bytes) : release(bytes);
            if (routed && last) {
                responseEnded = true;
                routed = response.end();
            }
            if (!routed) {
                fail("the reply address " + replyTo + " cannot be reached");
            } else if (last) {
                responseSent();
            }
        }
    }

    private static boolean release(ByteBuf bytes) {
        bytes.release();
        return true;
    }

    private void startResponse(HttpResponse status) {
        dropReplay();
        keepAlive = HttpUtil.isKeepAlive(status);
        int code = status.status().code();
        Properties properties = new Properties().setCorrelationId(requestId).setSubject(Integer.toString(code));
        String contentType = status.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType != null) {
            properties.setContentType(contentType);
        }
        Map<String, Object> ap = HttpHeaderMapping.properties();
        ap.put(HttpHeaderMapping.STATUS, code);
        ap.put(HttpHeaderMapping.REASON, status.status().reasonPhrase());
        HttpHeaderMapping.carry(status.headers(), ap);
        FlowProperties.servedBy(connector.core(), connector.config().name(), ap);
        boolean bodyless = method.equals(HttpMethod.HEAD) || code == 204 || code == 304;
        response = new HttpMessageSender(connector.core(), channel(), connection.gate(), this);
        response.head(replyTo, properties, ap, bodyless ? HttpMessageSender.Length.NEVER : HttpMessageSender.Length.ALWAYS);
    }

    /** The whole response is on its way: the request is done with. */
    private void responseSent() {
        response.letGo();
        request.settle(Accepted.getInstance());
        if (requestWritten) {
            finish(keepAlive);
        } else {
            // the server answered before reading the whole request: the connection cannot be reused
            finish(false);
        }
    }

    void readComplete() {
        if (!done && response != null && !responseEnded && !response.readComplete()) {
            fail("the reply address " + replyTo + " cannot be reached");
        }
    }

    /** The server closed the connection. */
    void serverClosed() {
        if (done) {
            return;
        }
        // nothing of the request reached the server yet, or an idempotent one may go again
        boolean again = replay != null || (!headSeen && connection.wasReused());
        if (response == null && again) {
            LOG.debug("[{}] {}: request {} met a pooled connection the server had closed; sent again on a new one",
                connector.core().routerId(), connector, requestId);
            if (connector.reopen(connection, this)) {
                return;
            }
        }
        if (response == null) {
            fail("the server closed the connection before it answered");
        } else if (!responseEnded) {
            fail("the server closed the connection in the middle of its response");
        } else {
            finish(false);
        }
    }

    @Override
    public void outcome(DeliveryState outcome) {
        if (!(outcome instanceof Accepted) && !responseEnded) {
            fail("the listener side gave up the response (" + outcome + ")");
        }
    }

    // ----- the end

    @Override
    public void abort() {
        connection.loop().execute(() -> fail("the connector closed"));
    }

    private void fail(String why) {
        if (done) {
            return;
        }
        LOG.debug("[{}] {}: request {} failed: {}", connector.core().routerId(), connector, requestId, why);
        if (response != null) {
            response.abort();
        }
        request.settle(FAILED);
        connection.reset();
        finish(false);
    }

    private void finish(boolean reusable) {
        if (!done) {
            done = true;
            early.forEach(ReferenceCountUtil::release);
            early.clear();
            dropReplay();
            connector.ended(this);
            connection.released(this, reusable);
        }
    }
}
