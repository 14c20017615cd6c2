package io.camelvan.itests.faults.abuse;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Breaks an encoded {@link AmqpConversation} at the frame level: flipped bytes, wrong frame sizes,
 * data offsets and frame types, frames dropped, repeated or swapped, garbage spliced in, the
 * stream cut short. Headers and the SASL wait marker are mutated like any chunk, except that the
 * marker itself is kept where it is.
 */
final class AmqpFrameMutator {

    private static final int[] SIZES = {0, 1, 7, 8, 9, 511, 65_537, Integer.MAX_VALUE, -1};

    private final Random random;

    AmqpFrameMutator(Random random) {
        this.random = random;
    }

    /** A mutated copy: {@code mutations} of the kinds above, applied one after the other. */
    List<byte[]> mutate(List<byte[]> conversation, int mutations) {
        List<byte[]> chunks = new ArrayList<>();
        for (byte[] chunk : conversation) {
            chunks.add(chunk == AmqpConversation.AWAIT_SASL_OUTCOME ? chunk : chunk.clone());
        }
        for (int i = 0; i < mutations; i++) {
            int at = frameIndex(chunks);
            byte[] chunk = chunks.get(at);
            switch (random.nextInt(8)) {
                case 0 -> {
                    for (int n = 1 + random.nextInt(8); n > 0; n--) {
                        chunk[random.nextInt(chunk.length)] = (byte) random.nextInt(256);
                    }
                }
                case 1 -> {
                    if (chunk.length >= 8) {
                        int size = random.nextBoolean() ? SIZES[random.nextInt(SIZES.length)] : chunk.length + random.nextInt(17) - 8;
                        chunk[0] = (byte) (size >>> 24);
                        chunk[1] = (byte) (size >>> 16);
                        chunk[2] = (byte) (size >>> 8);
                        chunk[3] = (byte) size;
                    }
                }
                case 2 -> {
                    if (chunk.length >= 8) {
                        chunk[4 + random.nextInt(2)] = (byte) random.nextInt(256);   // data offset or frame type
                    }
                }
                case 3 -> chunks.remove(at);
                case 4 -> chunks.add(at, chunk.clone());
                case 5 -> {
                    int other = frameIndex(chunks);
                    chunks.set(at, chunks.get(other));
                    chunks.set(other, chunk);
                }
                case 6 -> {
                    byte[] garbage = new byte[1 + random.nextInt(random.nextBoolean() ? 16 : 70_000)];
                    random.nextBytes(garbage);
                    chunks.add(at, garbage);
                }
                default -> chunks.set(at, java.util.Arrays.copyOf(chunk, random.nextInt(chunk.length + 1)));
            }
        }
        return chunks;
    }

    /** Any chunk but the SASL wait marker (a conversation always has a few). */
    private int frameIndex(List<byte[]> chunks) {
        while (true) {
            int i = random.nextInt(chunks.size());
            if (chunks.get(i) != AmqpConversation.AWAIT_SASL_OUTCOME) {
                return i;
            }
        }
    }
}
