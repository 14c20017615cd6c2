package io.camelvan.router.core;

import java.util.function.Predicate;

import io.camelvan.router.config.Distribution;

/** The anycast choice: which one consumer gets the next delivery. */
final class Distributor {

    private Distributor() {
    }

    /**
     * {@code balanced}: the fewest outstanding deliveries plus path cost, preferring consumers with
     * credit; {@code closest}: the lowest cost, then the least loaded. Among equals, the first from
     * {@code start} on (the caller turns it), so that requests made one at a time, which leave every
     * consumer equally idle, still go round them all.
     */
    static Consumer choose(Consumer[] consumers, Distribution distribution, Predicate<Consumer> allowed, int start) {
        Consumer best = null;
        long bestScore = Long.MAX_VALUE;
        int n = consumers.length;
        for (int i = 0; i < n; i++) {
            Consumer c = consumers[Math.floorMod(start + i, n)];
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
