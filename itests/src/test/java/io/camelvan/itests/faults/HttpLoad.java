package io.camelvan.itests.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

/**
 * HTTP clients as behind a load balancer: each of {@code clients} threads sends {@code GET}
 * requests at a paced rate, one connection per request ({@code Connection: close}), to the
 * listener ports in turn. A connection that is refused (that router is down) never carried the
 * request, so the client tries the next port, as a load balancer does; it is counted, not failed.
 * Every other outcome than a {@code 200} with the body the server wrote is a failed request,
 * counted by reason.
 */
final class HttpLoad implements AutoCloseable {

    private static final int TIMEOUT_MS = 10_000;
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");

    private final List<Integer> ports;
    private final long periodNanos;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong slowestNanos = new AtomicLong();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    /** The first failure of each reason, as an example. */
    private final Map<String, String> examples = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    HttpLoad(List<Integer> ports, int clients, int ratePerClient) {
        this.ports = List.copyOf(ports);
        this.periodNanos = 1_000_000_000L / ratePerClient;
        for (int i = 0; i < clients; i++) {
            int client = i;
            Thread thread = new Thread(() -> run(client), "http-client-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void run(int client) {
        long next = System.nanoTime();
        long n = 0;
        int port = client % ports.size();
        while (running) {
            LockSupport.parkNanos(next - System.nanoTime());   // pacing
            next += periodNanos;
            String path = "/c" + client + "/" + n++;
            for (int tries = 0; tries < ports.size() && running; tries++) {
                port = (port + 1) % ports.size();
                try {
                    long sentAt = System.nanoTime();
                    String body = get(ports.get(port), path);
                    if (body.endsWith(path)) {
                        ok.incrementAndGet();
                        slowestNanos.accumulateAndGet(System.nanoTime() - sentAt, Math::max);
                    } else {
                        fail("wrong body", path + " answered " + body);
                    }
                    break;
                } catch (ConnectException e) {
                    refused.incrementAndGet();   // never sent: the next listener gets it
                } catch (IOException e) {
                    fail(e.getMessage().startsWith("response cut short") ? "response cut short" : e.getClass().getSimpleName(),
                        path + ": " + e.getMessage());
                    break;
                } catch (StatusException e) {
                    fail("status " + e.status, path + ": " + e.getMessage());
                    break;
                }
            }
        }
    }

    private void fail(String reason, String detail) {
        failures.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
        examples.putIfAbsent(reason, detail);
    }

    private static final class StatusException extends Exception {
        final int status;

        StatusException(int status, String response) {
            super(response);
            this.status = status;
        }
    }

    private static String get(int port, String path) throws IOException, StatusException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: service\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            if (response.isEmpty()) {
                throw new IOException("connection closed without a response");
            }
            int status = Integer.parseInt(response.substring(9, 12));
            if (status != 200) {
                throw new StatusException(status, response.lines().findFirst().orElse(""));
            }
            int bodyStart = response.indexOf("\r\n\r\n");
            if (bodyStart < 0) {
                throw new IOException("response cut short in its headers");
            }
            String body = response.substring(bodyStart + 4);
            Matcher length = CONTENT_LENGTH.matcher(response.substring(0, bodyStart));
            if (length.find() && Integer.parseInt(length.group(1)) != body.length()) {
                throw new IOException("response cut short: " + body.length() + " of " + length.group(1) + " bytes");
            }
            return body;
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IOException("not an HTTP response", e);
        }
    }

    /**
     * An HTTP server on loopback for these clients: it answers every request {@code 200} with
     * {@code name} and the path, which is how a client tells its answer from another's.
     */
    static HttpServer server(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.createContext("/", exchange -> {
            byte[] body = (name + " " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** One request to the port is answered 200. */
    static boolean answers(int port) {
        try {
            return get(port, "/probe").endsWith("/probe");
        } catch (IOException | StatusException e) {
            return false;
        }
    }

    long ok() {
        return ok.get();
    }

    /** The longest time an answered request took (connection, request and response) since the last call, in ms. */
    long takeSlowestMs() {
        return slowestNanos.getAndSet(0) / 1_000_000;
    }

    long refused() {
        return refused.get();
    }

    long failed() {
        return failures.values().stream().mapToLong(AtomicLong::get).sum();
    }

    String failuresByReason() {
        return failures.isEmpty() ? "none" : failures + " (first of each: " + examples.values() + ")";
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(TIMEOUT_MS * 2L);
        }
    }
}
