package io.camelvan.router.adaptor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The JDK's HTTP server with a few test resources, each answering with the name of its site:
 * {@code /hello}, {@code /echo} (the body back; chunked with {@code ?chunked}), {@code /sha}
 * (the SHA-256 of the body), {@code /headers} (the request's headers, one per line),
 * {@code /slow?ms=N} (answers after N ms, with its query), {@code /late?ms=N} (sends the head of
 * its answer, with a content-length, and the body N ms later).
 */
final class TestHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-http-server");
        t.setDaemon(true);
        return t;
    });
    private final String site;

    TestHttpServer(String site) throws IOException {
        this.site = site;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.setExecutor(threads);
        server.createContext("/hello", e -> answer(e, 200, ("hello from " + site).getBytes(StandardCharsets.UTF_8), false));
        server.createContext("/echo", e -> {
            byte[] body = e.getRequestBody().readAllBytes();
            answer(e, 200, body, e.getRequestURI().getQuery() != null && e.getRequestURI().getQuery().contains("chunked"));
        });
        server.createContext("/sha", e -> {
            MessageDigest digest = Payloads.digest();
            try (InputStream in = e.getRequestBody()) {
                byte[] buffer = new byte[64 * 1024];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    digest.update(buffer, 0, n);
                }
            }
            answer(e, 200, HexFormat.of().formatHex(digest.digest()).getBytes(StandardCharsets.US_ASCII), false);
        });
        server.createContext("/headers", e -> {
            StringBuilder text = new StringBuilder();
            Map<String, List<String>> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            sorted.putAll(e.getRequestHeaders());
            sorted.forEach((name, values) -> text.append(name.toLowerCase()).append(": ").append(String.join(", ", values)).append('\n'));
            e.getRequestBody().readAllBytes();
            answer(e, 200, text.toString().getBytes(StandardCharsets.UTF_8), false);
        });
        server.createContext("/slow", e -> {
            String query = e.getRequestURI().getQuery();
            e.getRequestBody().readAllBytes();
            try {
                Thread.sleep(millis(e)); // the server's own slowness, part of what the test serves
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            answer(e, 200, query.getBytes(StandardCharsets.UTF_8), false);
        });
        server.createContext("/late", e -> {
            byte[] body = ("late from " + site).getBytes(StandardCharsets.UTF_8);
            e.getRequestBody().readAllBytes();
            e.getResponseHeaders().set("X-Site", site);
            e.sendResponseHeaders(200, body.length);
            try (OutputStream out = e.getResponseBody()) {
                out.flush();
                Thread.sleep(millis(e)); // the body comes in a later read than the head
                out.write(body);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    /** The {@code ms=N} of a request's query. */
    private static long millis(HttpExchange exchange) {
        return Long.parseLong(exchange.getRequestURI().getQuery().replaceAll(".*ms=(\\d+).*", "$1"));
    }

    private void answer(HttpExchange exchange, int status, byte[] body, boolean chunked) throws IOException {
        exchange.getResponseHeaders().set("X-Site", site);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, chunked ? 0 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int at = 0; at < body.length; at += 8192) {
                out.write(body, at, Math.min(8192, body.length - at));
            }
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
