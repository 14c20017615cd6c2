package io.camelvan.router.management;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.camelvan.router.pki.GrantStore.Refusal;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;

/**
 * The grant endpoint, where another site redeems an access token of this site: one HTTP request on
 * an inter-router connection that is already TLS (the router hands over a client that presented no
 * certificate and whose first bytes are {@code POST }).
 *
 * <pre>
 * POST /grant   {"code": "...", "site": "east"}
 *   200  the link file (YAML, as {@code LinkCredentials.toYaml()}): client certificate, key, CA, host, port, cost
 *   403  {"error": "..."}   unknown code, or revoked
 *   410  {"error": "..."}   expired, or used up
 *   400  malformed request; 404 any other path; 405 any other method; 413 a body over 16 KiB
 * </pre>
 * One request per connection: the connection is closed after the response, and after 10 seconds
 * without a complete request.
 */
public final class GrantEndpoint extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** The largest request accepted; a redemption is about a hundred bytes. */
    public static final int MAX_REQUEST_BYTES = 16 * 1024;
    private static final int READ_TIMEOUT_SECONDS = 10;
    private static final String READ_TIMEOUT = "grant-read-timeout";

    private static final Logger LOG = LoggerFactory.getLogger(GrantEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Redemptions read and write files under a lock and generate keys: never on an event loop. */
    private static final ExecutorService REDEMPTIONS = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "van-grant-redemptions");
        thread.setDaemon(true);
        return thread;
    });

    private final GrantService service;

    private GrantEndpoint(GrantService service) {
        this.service = service;
    }

    /**
     * Makes a channel serve the grant endpoint: adds a read timeout, the HTTP codec, an aggregator
     * limited to {@link #MAX_REQUEST_BYTES} and the endpoint at the end of {@code pipeline}. Call it
     * on the channel's event loop, before the request's bytes reach the end of the pipeline.
     */
    public static void install(ChannelPipeline pipeline, GrantService service) {
        pipeline.addLast(READ_TIMEOUT, new ReadTimeoutHandler(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        pipeline.addLast("grant-http", new HttpServerCodec());
        pipeline.addLast("grant-aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES));
        pipeline.addLast("grant-endpoint", new GrantEndpoint(service));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        ctx.channel().config().setAutoRead(false); // one request per connection
        ctx.pipeline().remove(READ_TIMEOUT); // the request is in; answering it is up to us now
        if (request.decoderResult().isFailure()) {
            respond(ctx, error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request"));
            return;
        }
        if (!new QueryStringDecoder(request.uri()).path().equals(LinkAccess.GRANT_PATH)) {
            respond(ctx, error(HttpResponseStatus.NOT_FOUND, "not found: this port serves only POST " + LinkAccess.GRANT_PATH));
            return;
        }
        if (!HttpMethod.POST.equals(request.method())) {
            FullHttpResponse response = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "use POST " + LinkAccess.GRANT_PATH);
            response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.POST.name());
            respond(ctx, response);
            return;
        }
        String code;
        String site;
        try {
            JsonNode body = JSON.readTree(request.content().toString(StandardCharsets.UTF_8));
            code = body == null ? null : body.path("code").textValue();
            site = body == null ? null : body.path("site").textValue();
        } catch (JsonProcessingException e) {
            respond(ctx, error(HttpResponseStatus.BAD_REQUEST, "the body is not JSON: expected {\"code\": \"...\", \"site\": \"...\"}"));
            return;
        }
        REDEMPTIONS.execute(() -> respond(ctx, redeem(code, site)));
    }

    private FullHttpResponse redeem(String code, String site) {
        try {
            GrantService.Outcome outcome = service.redeem(code, site);
            if (outcome.granted()) {
                return response(HttpResponseStatus.OK, outcome.credentials().toYaml(), "application/yaml; charset=utf-8");
            }
            return error(statusOf(outcome.redemption().refusal()), outcome.redemption().message());
        } catch (IllegalArgumentException e) {
            return error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("redeeming a token for site {} failed", site, e);
            return error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "the site could not issue a link certificate: " + e.getMessage());
        }
    }

    private static HttpResponseStatus statusOf(Refusal refusal) {
        return switch (refusal) {
            case EXPIRED, USED_UP -> HttpResponseStatus.GONE;
            case UNKNOWN_CODE, REVOKED -> HttpResponseStatus.FORBIDDEN;
        };
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("grant endpoint connection from {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpResponse response) {
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static FullHttpResponse error(HttpResponseStatus status, String message) {
        try {
            return response(status, JSON.writeValueAsString(Map.of("error", message)) + "\n", "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of one string always serializes", e);
        }
    }

    private static FullHttpResponse response(HttpResponseStatus status, String body, String contentType) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        return response;
    }
}
