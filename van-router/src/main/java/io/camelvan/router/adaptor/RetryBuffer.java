package io.camelvan.router.adaptor;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;

/**
 * The first bytes of a flow, kept (shared, not copied) until the other side has answered, so that
 * a flow its first connector could not take can be sent again from the start.
 */
public final class RetryBuffer {

    /** Most bytes held; past it the socket is not read until the answer comes. */
    public static final int LIMIT = 64 * 1024;

    private final List<ByteBuf> held = new ArrayList<>();
    private int size;
    private boolean released;

    /**
     * Keeps a view of {@code bytes} (the caller keeps its own reference).
     *
     * @return false once the bound is reached
     */
    public boolean add(ByteBuf bytes) {
        if (!released) {
            held.add(bytes.retainedDuplicate());
            size += bytes.readableBytes();
        }
        return size < LIMIT;
    }

    /** Views of everything held, in order, for a new attempt; the caller owns them. */
    public List<ByteBuf> replay() {
        List<ByteBuf> copies = new ArrayList<>(held.size());
        held.forEach(b -> copies.add(b.retainedDuplicate()));
        return copies;
    }

    /** No retry will be needed: let the bytes go. */
    public void release() {
        if (!released) {
            released = true;
            held.forEach(ByteBuf::release);
            held.clear();
            size = 0;
        }
    }
}
