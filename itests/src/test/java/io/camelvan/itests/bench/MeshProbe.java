package io.camelvan.itests.bench;

import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

import io.camelvan.router.core.Address;

/** Looks at routers from inside the JVM: have they all found each other and each other's addresses? */
final class MeshProbe {

    /** Something that holds, or not yet, between router {@code from} and router {@code to}. */
    interface PairCheck {
        boolean holds(LinkedRouters routers, int from, int to);
    }

    private MeshProbe() {
    }

    /** Router {@code from} has a route to router {@code to}. */
    static boolean hasRoute(LinkedRouters routers, int from, int to) {
        return from == to
            || routers.router(from).core().topology().nextHop(routers.router(to).core().routerId()) != null;
    }

    /** Router {@code from} can reach a consumer of the address {@code prefix<to>}. */
    static PairCheck reachesAddress(String prefix) {
        return (routers, from, to) -> {
            Address a = routers.router(from).core().addresses().lookup(prefix + to);
            return a != null && a.isReachable();
        };
    }

    /** True when the check holds between every two routers (and each router and itself). */
    static boolean everyPair(LinkedRouters routers, PairCheck check) {
        return firstFailing(routers, check, 0) < 0;
    }

    /** Waits (polling every 10 ms) until every router has a route to every other one; fails after {@code timeoutMs}. */
    static void awaitRoutes(LinkedRouters routers, long timeoutMs) {
        awaitEveryPair(routers, MeshProbe::hasRoute, timeoutMs, "routes");
    }

    /**
     * Waits (polling every 10 ms) until the check holds between every two routers; fails after
     * {@code timeoutMs}. Each look starts at the pair that failed the look before and goes round
     * all pairs from there, so that watching 200 routers (40,000 pairs) converge costs the routers
     * little CPU; it ends only when one look found every pair done.
     */
    static void awaitEveryPair(LinkedRouters routers, PairCheck check, long timeoutMs, String what) {
        int[] from = {0};
        await(() -> (from[0] = firstFailing(routers, check, from[0])) < 0, timeoutMs, what);
    }

    /** The first pair (as {@code from * size + to}) from {@code first} on, going round, where the check fails; -1 if none. */
    private static int firstFailing(LinkedRouters routers, PairCheck check, int first) {
        int n = routers.size();
        for (int k = 0; k < n * n; k++) {
            int pair = (first + k) % (n * n);
            if (!check.holds(routers, pair / n, pair % n)) {
                return pair;
            }
        }
        return -1;
    }

    /** Whether {@code condition} holds at every check (every {@code everyMs}) for {@code forMs}. */
    static boolean holds(BooleanSupplier condition, long forMs, long everyMs) {
        long start = System.nanoTime();
        while ((System.nanoTime() - start) / 1_000_000 < forMs) {
            if (!condition.getAsBoolean()) {
                return false;
            }
            LockSupport.parkNanos(everyMs * 1_000_000);
        }
        return true;
    }

    static long await(BooleanSupplier done, long timeoutMs, String what) {
        long start = System.nanoTime();
        while (!done.getAsBoolean()) {
            if ((System.nanoTime() - start) / 1_000_000 > timeoutMs) {
                throw new IllegalStateException(what + " not complete after " + timeoutMs + " ms");
            }
            LockSupport.parkNanos(10_000_000);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
