package io.camelvan.router.core;

import java.util.function.Predicate;

import io.camelvan.router.config.Distribution;

/** The anycast choice: which one consumer gets the next delivery. */
final class Distributor {

    private Distributor() {
    }

    /**
     * {@code balanced}: the fewest outstanding deliveries plus path cost, preferring consumers with
     * credit; {@code closest}: the lowest cost, then the least loaded.
     */
    static Consumer choose(Consumer[] consumers, Distribution distribution, Predicate<Consumer> allowed) {
        Consumer best = null;
        long bestScore = Long.MAX_VALUE;
        for (Consumer c : consumers) {
            if (!allowed.test(c)) {
                continue;
            }
            long score = distribution == Distribution.CLOSEST
                ? ((long) c.cost() << 32) + c.outstanding()
                : (long) c.outstanding() + c.cost();
            if (!c.hasCapacity()) {
                score += 1L << 48; // queue behind a consumer without credit only when all are full
            }
            if (score < bestScore) {
                best = c;
                bestScore = score;
            }
        }
        return best;
    }
}
