package io.camelvan.router.amqp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@link #MAX_FAILURES} failed SASL logins from one address within
 * {@link #WINDOW_MS}, that address is refused without its credentials being checked for the next
 * {@link #BLOCK_MS}. The table is bounded; when full, the oldest entries are dropped.
 */
public final class AuthFailureLimiter {

    static final int MAX_FAILURES = 5;
    static final long WINDOW_MS = 30_000;
    static final long BLOCK_MS = 30_000;
    static final int MAX_TRACKED = 10_000;

    private record Record(int failures, long windowStart, long blockedUntil) {
    }

    private final Clock clock;
    private final Map<InetAddress, Record> byAddress = new ConcurrentHashMap<>();

    public AuthFailureLimiter(Clock clock) {
        this.clock = clock;
    }

    /** True when logins from this peer are refused for now. */
    boolean isBlocked(SocketAddress peer) {
        InetAddress address = addressOf(peer);
        Record r = address == null ? null : byAddress.get(address);
        return r != null && r.blockedUntil() > clock.millis();
    }

    /** @return true when this failure starts a block (worth one log line) */
    boolean failed(SocketAddress peer) {
        InetAddress address = addressOf(peer);
        if (address == null) {
            return false;
        }
        long now = clock.millis();
        if (byAddress.size() >= MAX_TRACKED) {
            byAddress.entrySet().removeIf(e -> now - e.getValue().windowStart() > WINDOW_MS && e.getValue().blockedUntil() < now);
        }
        Record r = byAddress.compute(address, (a, old) -> {
            if (old == null || now - old.windowStart() > WINDOW_MS) {
                return new Record(1, now, 0);
            }
            int failures = old.failures() + 1;
            return new Record(failures, old.windowStart(), failures >= MAX_FAILURES ? now + BLOCK_MS : old.blockedUntil());
        });
        return r.failures() == MAX_FAILURES;
    }

    private static InetAddress addressOf(SocketAddress peer) {
        return peer instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
