package io.camelvan.itests.bench;

import java.util.concurrent.locks.LockSupport;

import io.camelvan.router.Router;
import io.camelvan.router.core.Address;
import io.camelvan.router.core.Topology;

/** Looks at routers from inside the JVM: have they all found each other and each other's addresses? */
final class MeshProbe {

    private MeshProbe() {
    }

    /** True when every router has a route to every other one. */
    static boolean routesComplete(LinkedRouters routers) {
        for (int i = 0; i < routers.size(); i++) {
            Topology topology = routers.router(i).core().topology();
            for (int j = 0; j < routers.size(); j++) {
                if (i != j && topology.nextHop(routers.router(j).core().routerId()) == null) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True when every router can reach a consumer of every {@code prefix<i>} address. */
    static boolean addressesComplete(LinkedRouters routers, String prefix) {
        for (int i = 0; i < routers.size(); i++) {
            Router r = routers.router(i);
            for (int j = 0; j < routers.size(); j++) {
                Address a = r.core().addresses().lookup(prefix + j);
                if (a == null || !a.isReachable()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Waits (polling every 10 ms) until all routes are there; fails after {@code timeoutMs}. */
    static long awaitRoutes(LinkedRouters routers, long timeoutMs) {
        return await(() -> routesComplete(routers), timeoutMs, "routes");
    }

    /** Whether {@code condition} holds at every check (every 10 ms) for {@code forMs}. */
    static boolean holds(java.util.function.BooleanSupplier condition, long forMs) {
        long start = System.nanoTime();
        while ((System.nanoTime() - start) / 1_000_000 < forMs) {
            if (!condition.getAsBoolean()) {
                return false;
            }
            LockSupport.parkNanos(10_000_000);
        }
        return true;
    }

    static long await(java.util.function.BooleanSupplier done, long timeoutMs, String what) {
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
