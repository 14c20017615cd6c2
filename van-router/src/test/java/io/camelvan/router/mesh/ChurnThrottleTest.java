package io.camelvan.router.mesh;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

class ChurnThrottleTest {

    private static final long FIRST_MS = 20;
    private static final long MAX_MS = 400;

    private final DefaultEventExecutor executor = new DefaultEventExecutor();
    private final List<Long> runs = new CopyOnWriteArrayList<>();
    private final ChurnThrottle throttle = new ChurnThrottle(executor, () -> runs.add(System.nanoTime()), FIRST_MS, MAX_MS);

    @AfterEach
    void stop() {
        executor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void aStormOfRequestsRunsTheTaskLessAndLessOftenThenALoneOneRunsPromptlyAgain() throws Exception {
        // a request every 5 ms for 2 s: unthrottled (every FIRST_MS) that would be ~100 runs; with the hold
        // doubling 20, 40, .. 400 ms it is at most ~10
        ScheduledFuture<?> storm = executor.scheduleAtFixedRate(throttle::request, 0, 5, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> hold() == MAX_MS);
        long stormStart = System.nanoTime();
        int runsBefore = runs.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() - stormStart > 2_000_000_000L);
        storm.cancel(false);
        int stormRuns = runs.size() - runsBefore;
        assertTrue(stormRuns <= 2_000 / MAX_MS + 2, "at most one run per " + MAX_MS + " ms once churning; ran " + stormRuns);
        assertTrue(stormRuns >= 1, "still runs while churning");

        // the run the storm left scheduled comes within MAX_MS, and its hold ends MAX_MS later; more than
        // MAX_MS after that, one request: the storm is over, the change waits FIRST_MS again
        int settled = executor.schedule(runs::size, MAX_MS + FIRST_MS, TimeUnit.MILLISECONDS).get();
        executor.schedule(throttle::request, 3 * MAX_MS, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.size() > settled);
        assertEquals(settled + 1, runs.size());
        assertEquals(FIRST_MS, hold());
    }

    @Test
    void requestsWhileARunIsScheduledAreOneRun() throws Exception {
        executor.submit(() -> {
            for (int i = 0; i < 100; i++) {
                throttle.request();
            }
        }).get();
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.size() == 1);
        // the next request is a new run: nothing was left pending by the burst
        executor.submit(throttle::request).get();
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.size() == 2);
    }

    @Test
    void aChangeOfOurOwnLinksDoesNotWaitForTheHold() throws Exception {
        ScheduledFuture<?> storm = executor.scheduleAtFixedRate(throttle::request, 0, 5, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> hold() == MAX_MS);
        storm.cancel(false);
        // a run is due up to MAX_MS from now; a neighbour lost or come back must not wait that long
        long asked = executor.submit(() -> {
            throttle.request();
            int before = runs.size();
            throttle.requestSoon();
            return before;
        }).get();
        long askedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> runs.size() > asked);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(runs.get((int) asked) - askedAt);
        assertTrue(waitedMs < MAX_MS / 2, "ran " + waitedMs + " ms after requestSoon, not after the hold");
        assertEquals(MAX_MS, hold(), "the hold itself is unchanged");
    }

    @Test
    void refusesHoldsThatMakeNoSense() {
        assertThrows(IllegalArgumentException.class, () -> new ChurnThrottle(executor, () -> { }, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new ChurnThrottle(executor, () -> { }, 50, 10));
    }

    private long hold() throws Exception {
        return executor.submit(throttle::holdMs).get();
    }
}
