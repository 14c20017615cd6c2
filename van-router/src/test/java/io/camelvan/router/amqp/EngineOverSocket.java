package io.camelvan.router.amqp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.engine.Connection;
import org.apache.qpid.protonj2.engine.Engine;
import org.apache.qpid.protonj2.engine.EngineFactory;
import org.apache.qpid.protonj2.engine.EngineHandler;
import org.apache.qpid.protonj2.engine.EngineHandlerContext;
import org.apache.qpid.protonj2.engine.EnginePipeline;
import org.apache.qpid.protonj2.engine.IncomingAMQPEnvelope;
import org.apache.qpid.protonj2.types.transport.Performative;

/**
 * A bare protonj2 engine (no SASL) on a plain socket, for tests that decide exactly which frames
 * go out in one write and see every performative that comes in. The engine lives on one thread;
 * what a task writes goes to the socket in one write when the task ends.
 */
final class EngineOverSocket implements AutoCloseable {

    private final Socket socket;
    private final Engine engine;
    private final Connection connection;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final List<Performative> received = new CopyOnWriteArrayList<>();

    EngineOverSocket(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        engine = EngineFactory.PROTON.createNonSaslEngine();
        recordIncoming(engine.pipeline());
        engine.outputConsumer(buffer -> {
            try (buffer) {
                byte[] bytes = new byte[buffer.getReadableBytes()];
                buffer.readBytes(bytes, 0, bytes.length);
                output.writeBytes(bytes);
            }
        });
        connection = call(() -> engine.start().setContainerId("engine-over-socket").open());
        Thread reader = new Thread(this::readLoop, "engine-over-socket-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Puts a recorder between the frame decoder and the performative handler (first in the pipeline). */
    private void recordIncoming(EnginePipeline pipeline) {
        EngineHandler performatives = pipeline.first();
        pipeline.removeFirst();
        pipeline.addFirst("recorder", new EngineHandler() {
            @Override
            public void handleRead(EngineHandlerContext context, IncomingAMQPEnvelope envelope) {
                received.add(envelope.getBody());
                context.fireRead(envelope);
            }
        });
        pipeline.addFirst("performatives", performatives);
    }

    private void readLoop() {
        byte[] chunk = new byte[64 * 1024];
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                byte[] bytes = Arrays.copyOf(chunk, n);
                thread.execute(() -> {
                    engine.ingest(ProtonBufferAllocator.defaultAllocator().copy(bytes));
                    writeOut();
                });
            }
        } catch (IOException e) {
            // closed
        }
    }

    /** Runs {@code task} on the engine's thread, then writes what it wrote in one socket write. */
    <T> T call(Callable<T> task) {
        try {
            return thread.submit(() -> {
                T result = task.call();
                writeOut();
                return result;
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void writeOut() {
        if (output.size() > 0) {
            try {
                socket.getOutputStream().write(output.toByteArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            output.reset();
        }
    }

    Connection connection() {
        return connection;
    }

    /** Every performative received so far, in order. */
    List<Performative> received() {
        return received;
    }

    @Override
    public void close() throws IOException {
        thread.shutdownNow();
        socket.close();
    }
}
