package io.camelvan.itests.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The client of the flow-setup benchmark: {@code threads} threads that each, over and over,
 * connect, send one byte, read it back and close, for a given time. A flow counts when its byte
 * came back; anything else counts as a failure.
 */
final class FlowClient {

    /** Flows completed and failed, and the time they took. */
    record Result(long flows, long failures, double seconds) {
        double perSecond() {
            return flows / seconds;
        }
    }

    private FlowClient() {
    }

    static Result run(int port, int threads, double seconds) throws InterruptedException {
        LongAdder flows = new LongAdder();
        LongAdder failures = new LongAdder();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
                while (System.nanoTime() < end) {
                    try (Socket socket = new Socket()) {
                        socket.setTcpNoDelay(true);
                        socket.setSoTimeout(10_000);
                        socket.connect(address, 10_000);
                        socket.getOutputStream().write(1);
                        InputStream in = socket.getInputStream();
                        if (in.read() == 1) {
                            flows.increment();
                        } else {
                            failures.increment();
                        }
                    } catch (IOException e) {
                        failures.increment();
                    }
                }
            }, "bench-flow-client-" + i);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        return new Result(flows.sum(), failures.sum(), (System.nanoTime() - start) / 1e9);
    }
}
