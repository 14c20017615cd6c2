package io.camelvan.router.management;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.camelvan.router.core.NetworkJoin;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Answers the admin port's requests. {@code GET /api/TYPE} is a management QUERY of that type and
 * {@code GET /api/TYPE/NAME} a READ, with query parameters as the request's options; the reply is
 * JSON and its status code is the management status code. The console's files are served from the
 * jar. Read only: nothing but GET and HEAD.
 */
@ChannelHandler.Sharable
final class AdminRequests extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONSOLE = "/io/camelvan/router/console/";
    private static final Pattern FILE = Pattern.compile("[a-z0-9-]+\\.(html|js|css|svg)");
    private static final Pattern TYPE = Pattern.compile("[A-Za-z]+");
    private static final Map<String, String> CONTENT_TYPES = Map.of("html", "text/html; charset=utf-8",
        "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    private final String routerId;
    private final NetworkJoin join;
    private final PrometheusMetrics metrics;
    private final ManagementEndpoint management;
    private final Predicate<String> tokenAccepted;

    AdminRequests(String routerId, NetworkJoin join, PrometheusMetrics metrics, ManagementEndpoint management,
                  Predicate<String> tokenAccepted) {
        this.routerId = routerId;
        this.join = join;
        this.metrics = metrics;
        this.management = management;
        this.tokenAccepted = tokenAccepted;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            send(ctx, keepAlive, text(HttpResponseStatus.METHOD_NOT_ALLOWED, "read only: GET\n", "text/plain"));
        } else if (path.equals("/healthz")) {
            send(ctx, keepAlive, json(HttpResponseStatus.OK, Map.of("status", "up", "router", routerId)));
        } else if (path.equals("/readyz")) {
            // ready once joined: a router still learning the network would turn work away for want of routes
            send(ctx, keepAlive, join.isJoined()
                ? json(HttpResponseStatus.OK, Map.of("status", "ready", "router", routerId))
                : json(HttpResponseStatus.SERVICE_UNAVAILABLE, Map.of("status", "joining", "router", routerId)));
        } else if (path.equals("/") || path.startsWith("/console/")) {
            // the page itself holds no data: it is served without the token and sends it on its API calls
            send(ctx, keepAlive, consoleFile(path.equals("/") ? "index.html" : path.substring("/console/".length())));
        } else if (!tokenAccepted.test(bearer(request))) {
            FullHttpResponse refused = json(HttpResponseStatus.UNAUTHORIZED,
                Map.of("status", 401, "description", "this admin port wants 'Authorization: Bearer <admin.token>'"));
            refused.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            send(ctx, keepAlive, refused);
        } else if (path.equals("/metrics")) {
            send(ctx, keepAlive, text(HttpResponseStatus.OK, metrics.render(), "text/plain; version=0.0.4; charset=utf-8"));
        } else if (path.startsWith("/api/")) {
            api(ctx, keepAlive, path.substring("/api/".length()), uri.parameters());
        } else {
            send(ctx, keepAlive, text(HttpResponseStatus.NOT_FOUND, "not found: try /, /healthz, /readyz, /metrics or /api/router\n",
                "text/plain"));
        }
    }

    private static String bearer(FullHttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    }

    private void api(ChannelHandlerContext ctx, boolean keepAlive, String rest, Map<String, List<String>> parameters) {
        int slash = rest.indexOf('/');
        String type = slash < 0 ? rest : rest.substring(0, slash);
        String name = slash < 0 ? null : QueryStringDecoder.decodeComponent(rest.substring(slash + 1));
        if (!TYPE.matcher(type).matches() || (name != null && name.isEmpty())) {
            send(ctx, keepAlive, json(HttpResponseStatus.NOT_FOUND, Map.of("status", 404,
                "description", "use /api/TYPE or /api/TYPE/NAME (router, network, address, link, flow, networkFlow, ...)")));
            return;
        }
        Map<String, Object> options = new LinkedHashMap<>();
        parameters.forEach((key, values) -> options.put(key, values.get(values.size() - 1)));
        management.call(name == null ? "QUERY" : "READ", type, name, options).whenComplete((reply, e) -> {
            if (e != null) {
                send(ctx, keepAlive, json(HttpResponseStatus.INTERNAL_SERVER_ERROR, Map.of("status", 500, "description", e.toString())));
            } else if (reply.ok()) {
                send(ctx, keepAlive, json(HttpResponseStatus.valueOf(reply.status()), reply.body()));
            } else {
                send(ctx, keepAlive, json(HttpResponseStatus.valueOf(reply.status()),
                    Map.of("status", reply.status(), "description", reply.description())));
            }
        });
    }

    private static FullHttpResponse consoleFile(String file) {
        if (!FILE.matcher(file).matches()) {
            return text(HttpResponseStatus.NOT_FOUND, "not found\n", "text/plain");
        }
        try (InputStream in = AdminRequests.class.getResourceAsStream(CONSOLE + file)) {
            if (in == null) {
                return text(HttpResponseStatus.NOT_FOUND, "not found\n", "text/plain");
            }
            FullHttpResponse response = bytes(HttpResponseStatus.OK, in.readAllBytes(),
                CONTENT_TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            response.headers().set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:");
            return response;
        } catch (IOException e) {
            return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getMessage() + "\n", "text/plain");
        }
    }

    private static FullHttpResponse json(HttpResponseStatus status, Object body) {
        try {
            FullHttpResponse response = bytes(status, JSON.writeValueAsBytes(body), "application/json");
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            return response;
        } catch (JsonProcessingException e) {
            return text(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getOriginalMessage() + "\n", "text/plain");
        }
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body, String type) {
        return bytes(status, body.getBytes(StandardCharsets.UTF_8), type);
    }

    private static FullHttpResponse bytes(HttpResponseStatus status, byte[] body, String type) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        HttpUtil.setContentLength(response, body.length);
        return response;
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        HttpUtil.setKeepAlive(response, keepAlive);
        var future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
