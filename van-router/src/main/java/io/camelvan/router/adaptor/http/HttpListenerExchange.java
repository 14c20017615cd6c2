package io.camelvan.router.adaptor.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Modified;
import org.apache.qpid.protonj2.types.messaging.Properties;
import org.apache.qpid.protonj2.types.messaging.Released;
import org.apache.qpid.protonj2.types.transport.DeliveryState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.adaptor.ActiveWork;
import io.camelvan.router.adaptor.FlowMeter;
import io.camelvan.router.adaptor.FlowProperties;
import io.camelvan.router.adaptor.ReplyAddress;
import io.camelvan.router.adaptor.StreamReceiver;
import io.camelvan.router.core.RoutedDelivery;
import io.camelvan.router.management.FlowRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * One request of an {@link HttpListenerConnection} and its response. The request goes to the
 * routing key as a message ({@link HttpMessageSender}); the response comes back on a reply address
 * of its own and is written to the client once every earlier response of the connection has been.
 * When nothing can answer, the listener answers itself: 503 when no server is reachable (or none
 * took the request), 502 when the server failed before its response began, 413 for a body over
 * {@code maxRequestSize}, 400 for a malformed request. Each exchange leaves one flow record
 * ({@link FlowMeter}), also those the listener answered itself. On the connection's event loop.
 */
final class HttpListenerExchange implements StreamReceiver.Sink, HttpMessageSender.Events, ActiveWork {

    private static final Logger LOG = LoggerFactory.getLogger(HttpListenerExchange.class);
    /** Sends of one request at most, when connectors release it untouched (their servers refuse). */
    private static final int MAX_ATTEMPTS = 5;
    private static final long RETRY_DELAY_MS = 50;
    private static final DeliveryState FAILED = new Modified(true, false);

    private final HttpListenerConnection connection;
    private final HttpListener listener;
    private final Channel channel;
    private final HttpRequest request;
    private final HttpVersion version;
    private FlowMeter meter;
    private ReplyAddress replyAddress;
    private HttpMessageSender sender;
    private int attempts;
    private StreamReceiver response;
    private boolean requestDone;
    private boolean responseStarted;
    private int responseStatus;
    private boolean closeAfter;
    private HttpResponseStatus localStatus;
    private String localText;
    private boolean finished;

    HttpListenerExchange(HttpListenerConnection connection, HttpRequest request) {
        this(connection, request, request.protocolVersion(), HttpUtil.isKeepAlive(request));
    }

    private HttpListenerExchange(HttpListenerConnection connection, HttpRequest request, HttpVersion version,
            boolean keepAlive) {
        this.connection = connection;
        this.listener = connection.listener();
        this.channel = connection.channel();
        this.request = request;
        this.version = version;
        this.closeAfter = !keepAlive;
    }

    /** A response the listener owes without a request to send on (the request could not be read). */
    static HttpListenerExchange refusal(HttpListenerConnection connection, HttpResponseStatus status, String text) {
        HttpListenerExchange refusal = new HttpListenerExchange(connection, null, HttpVersion.HTTP_1_1, false);
        refusal.requestDone = true;
        refusal.localStatus = status;
        refusal.localText = text;
        return refusal;
    }

    // ----- the request

    void start() {
        listener.started(this);
        meter = new FlowMeter(listener, FlowRecord.Protocol.HTTP, listener.nextId());
        if (localStatus != null) {
            answerLocally(localStatus, localText);
            return;
        }
        long max = listener.maxRequestSize();
        if (max > 0 && HttpUtil.getContentLength(request, -1L) > max) {
            tooLarge(max);
            return;
        }
        if (HttpUtil.is100ContinueExpected(request) && connection.isHead(this)) {
            channel.writeAndFlush(new DefaultFullHttpResponse(version, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        replyAddress = new ReplyAddress(listener.core(), delivery -> channel.eventLoop().execute(() -> responseArrived(delivery)));
        sender = new HttpMessageSender(listener.core(), channel, connection.gate(), this);
        String key = listener.config().routingKey();
        Properties properties = new Properties().setMessageId(meter.id()).setTo(key)
            .setReplyTo(replyAddress.name()).setSubject(request.method().name());
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType != null) {
            properties.setContentType(contentType);
        }
        Map<String, Object> ap = HttpHeaderMapping.properties();
        ap.put(HttpHeaderMapping.PATH, request.uri());
        ap.put(HttpHeaderMapping.VERSION, version.minorVersion() == 0 ? "1.0" : "1.1");
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host != null) {
            ap.put(HttpHeaderMapping.AUTHORITY, host);
        }
        HttpHeaderMapping.carry(request.headers(), ap);
        sender.head(key, properties, ap, HttpMessageSender.Length.WHEN_NOT_EMPTY);
    }

    /** Body bytes of the request (ownership passes here); {@code last} with its last ones. */
    void body(ByteBuf bytes, boolean last) {
        if (requestDone) {
            bytes.release();
            return;
        }
        long max = listener.maxRequestSize();
        if (max > 0 && sender.bodySize() + bytes.readableBytes() > max) {
            bytes.release();
            tooLarge(max);
            return;
        }
        meter.fromClient(bytes.readableBytes());
        boolean routed = !bytes.isReadable() ? release(bytes) : sender.body(bytes);
        if (routed && last) {
            requestDone = true;
            if (closeAfter) {
                connection.noMoreRequests();
            }
            routed = sender.end();
        }
        if (!routed) {
            noServer();
        }
    }

    private static boolean release(ByteBuf bytes) {
        bytes.release();
        return true;
    }

    /** A read ended with the request's body incomplete: send what there is and stream the rest. */
    void readComplete() {
        if (!requestDone && sender != null && !sender.readComplete()) {
            noServer();
        }
    }

    /** The request will not be read further (what followed it on the connection was malformed). */
    void abandonRequest() {
        if (!requestDone && sender != null) {
            requestDone = true;
            sender.abort();
        }
    }

    private void noServer() {
        requestDone = true;
        answerLocally(HttpResponseStatus.SERVICE_UNAVAILABLE,
            "no server for '" + listener.config().routingKey() + "' is reachable");
    }

    private void tooLarge(long max) {
        requestDone = true;
        closeAfter = true; // the rest of the body is not read, so the connection cannot carry another request
        connection.noMoreRequests();
        answerLocally(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "the request body is larger than " + max + " bytes");
    }

    @Override
    public void outcome(DeliveryState outcome) {
        if (finished || response != null || localStatus != null) {
            return;
        }
        if (outcome instanceof Released) {
            if (sender.canResend() && attempts < MAX_ATTEMPTS) {
                attempts++;
                channel.eventLoop().schedule(this::resend, RETRY_DELAY_MS * attempts, TimeUnit.MILLISECONDS);
            } else {
                answerLocally(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "no server for '" + listener.config().routingKey() + "' took the request");
            }
        } else if (!(outcome instanceof Accepted)) {
            answerLocally(HttpResponseStatus.BAD_GATEWAY, "the request failed on its way to the server (" + outcome + ")");
        }
    }

    private void resend() {
        if (!finished && response == null && localStatus == null && !sender.resend()) {
            noServer();
        }
    }

    // ----- the response

    private void responseArrived(RoutedDelivery delivery) {
        if (finished || response != null || localStatus != null) {
            delivery.stream().closeReader();
            delivery.finish(Released.getInstance());
            return;
        }
        response = new StreamReceiver(delivery, channel.eventLoop(), this);
        if (sender != null) {
            sender.letGo();
        }
        if (connection.isHead(this)) {
            response.pump();
        }
    }

    /** Every earlier response of the connection is written: this one may be. */
    void becameHead() {
        if (localStatus != null) {
            writeLocal();
        } else if (response != null) {
            response.pump();
        }
    }

    /** The connection can take more output. */
    void outputDrained() {
        if (response != null && !response.isDone()) {
            response.pump();
        }
    }

    @Override
    public void head(Properties properties, Map<String, Object> applicationProperties) {
        meter.servedBy(FlowProperties.ServedBy.of(applicationProperties));
        int code = statusOf(properties, applicationProperties);
        if (code < 200) {
            response.settle(new Modified(true, true));
            answerLocally(HttpResponseStatus.BAD_GATEWAY, "the server's answer has no valid status");
            return;
        }
        Object reason = applicationProperties.get(HttpHeaderMapping.REASON);
        HttpResponseStatus status = reason == null ? HttpResponseStatus.valueOf(code)
            : new HttpResponseStatus(code, reason.toString());
        HttpResponse head = new DefaultHttpResponse(version, status);
        HttpHeaders headers = head.headers();
        HttpHeaderMapping.restore(applicationProperties, headers);
        if (properties.getContentType() != null && !headers.contains(HttpHeaderNames.CONTENT_TYPE)) {
            headers.set(HttpHeaderNames.CONTENT_TYPE, properties.getContentType());
        }
        boolean bodyless = request.method().equals(HttpMethod.HEAD) || code == 204 || code == 304;
        if (!bodyless && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            if (version.minorVersion() == 0) {
                closeAfter = true; // an HTTP/1.0 client reads such a body to the end of the connection
            } else {
                HttpUtil.setTransferEncodingChunked(head, true);
            }
        }
        if (closeAfter) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (version.minorVersion() == 0) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        responseStarted = true;
        responseStatus = code;
        channel.write(head, channel.voidPromise());
    }

    private static int statusOf(Properties properties, Map<String, Object> applicationProperties) {
        Object status = applicationProperties.get(HttpHeaderMapping.STATUS);
        try {
            if (status instanceof Number n) {
                return n.intValue();
            }
            if (status != null) {
                return Integer.parseInt(status.toString());
            }
            return properties.getSubject() == null ? -1 : Integer.parseInt(properties.getSubject());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void data(ByteBuf bytes) {
        if (responseStarted) {
            meter.fromServer(bytes.readableBytes());
            channel.write(new DefaultHttpContent(bytes), channel.voidPromise());
        } else {
            bytes.release();
        }
    }

    @Override
    public boolean writable() {
        return !finished && connection.isHead(this) && channel.isWritable();
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public void end() {
        if (!responseStarted) {
            return; // answered locally instead
        }
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener((ChannelFutureListener) written -> {
            response.settle(written.isSuccess() ? Accepted.getInstance() : FAILED);
            finish(written.isSuccess() ? FlowRecord.Outcome.COMPLETED : FlowRecord.Outcome.FAILED);
        });
    }

    @Override
    public void aborted(String why) {
        if (!responseStarted) {
            answerLocally(HttpResponseStatus.BAD_GATEWAY, "the server failed before its response was complete: " + why);
        } else {
            // the status has gone out: all that is left is to cut the response short
            LOG.debug("[{}] httpListener '{}': response cut short: {}", listener.core().routerId(),
                listener.config().name(), why);
            closeAfter = true;
            response.settle(FAILED);
            channel.flush();
            finish(FlowRecord.Outcome.FAILED);
        }
    }

    // ----- answers of the listener itself

    private void answerLocally(HttpResponseStatus status, String text) {
        if (localStatus == null || localStatus == status) {
            localStatus = status;
            localText = text;
        }
        listener.errorAnswered();
        if (sender != null && !requestDone) {
            requestDone = true;
            sender.abort();
        }
        if (response != null) {
            response.settle(Released.getInstance());
        }
        if (connection.isHead(this) && !finished) {
            writeLocal();
        }
    }

    private void writeLocal() {
        ByteBuf body = Unpooled.copiedBuffer(localText + "\n", StandardCharsets.UTF_8);
        FullHttpResponse answer = new DefaultFullHttpResponse(version, localStatus, body);
        answer.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        HttpUtil.setContentLength(answer, body.readableBytes());
        if (closeAfter) {
            answer.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        LOG.debug("[{}] httpListener '{}': {} {}", listener.core().routerId(), listener.config().name(),
            localStatus.code(), localText);
        finished = true;
        responseStatus = localStatus.code();
        channel.writeAndFlush(answer).addListener(written -> finish(localOutcome()));
    }

    /** How a request the listener answered itself ended: 503 no server took it, 502 it broke, else it was answered. */
    private FlowRecord.Outcome localOutcome() {
        if (localStatus.equals(HttpResponseStatus.SERVICE_UNAVAILABLE)) {
            return FlowRecord.Outcome.NO_SERVER;
        }
        return localStatus.equals(HttpResponseStatus.BAD_GATEWAY) ? FlowRecord.Outcome.FAILED : FlowRecord.Outcome.COMPLETED;
    }

    private void finish(FlowRecord.Outcome outcome) {
        finished = true;
        record(outcome);
        if (replyAddress != null) {
            replyAddress.close();
        }
        if (sender != null) {
            sender.letGo();
        }
        listener.ended(this);
        connection.responded(this, closeAfter);
    }

    /** The client connection is gone: nothing more will be written. */
    void connectionLost() {
        if (finished && replyAddress == null) {
            return;
        }
        finished = true;
        record(FlowRecord.Outcome.FAILED);
        if (sender != null && !requestDone) {
            sender.abort();
        }
        if (response != null) {
            response.settle(FAILED);
        }
        if (sender != null) {
            sender.letGo();
        }
        if (replyAddress != null) {
            replyAddress.close();
            replyAddress = null;
        }
        listener.ended(this);
    }

    /** The exchange's flow record (once, whichever way it ends first). */
    private void record(FlowRecord.Outcome outcome) {
        meter.end(outcome, request == null ? null : request.method().name(), responseStatus);
    }

    /** The listener closes: the connection goes, and with it this exchange. */
    @Override
    public void abort() {
        channel.close();
    }
}
