package io.camelvan.camel;

import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

/**
 * Counts Netty buffers collected without being released, in this JVM, while open: every buffer is tracked
 * (paranoid level) and Netty's buffer leak detector tells this listener of each leak it finds. Netty finds a
 * leak only after the buffer has been garbage-collected, when a buffer is next allocated:
 * {@link #collected()} brings both about.
 */
final class NettyLeaks implements AutoCloseable {

    private final ResourceLeakDetector.Level levelBefore = ResourceLeakDetector.getLevel();
    private final ResourceLeakDetector<ByteBuf> detector = byteBufDetector();
    private final List<String> leaks = new CopyOnWriteArrayList<>();

    NettyLeaks() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        // what earlier tests in this JVM left for the collector is theirs: reported (logged) before counting starts
        collect();
        detector.setLeakListener((type, records) -> leaks.add(type + ": " + records));
    }

    /** The leaks found once what is garbage now has been collected. */
    List<String> collected() {
        collect();
        return List.copyOf(leaks);
    }

    private static void collect() {
        for (int i = 0; i < 5; i++) {
            System.gc();
            // a tracked allocation is when the detector looks at what was collected
            PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
        }
    }

    @Override
    public void close() {
        detector.setLeakListener(null);
        ResourceLeakDetector.setLevel(levelBefore);
    }

    /** The detector every Netty byte buffer is tracked by (package-private in Netty, so found by reflection). */
    @SuppressWarnings("unchecked")
    private static ResourceLeakDetector<ByteBuf> byteBufDetector() {
        try {
            Field field = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
            field.setAccessible(true);
            return (ResourceLeakDetector<ByteBuf>) field.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Netty's buffer leak detector is not where this test expects it", e);
        }
    }
}
