package io.camelvan.router.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.camelvan.router.MovableClock;

/** The login limiter blocks an address after repeated failures, and lets it in again later. */
class AuthFailureLimiterTest {

    @Test
    void blocksAfterFiveFailuresWithinTheWindowAndForgetsAfterTheBlock() {
        MovableClock clock = new MovableClock(Instant.ofEpochMilli(1_000_000));
        AuthFailureLimiter limiter = new AuthFailureLimiter(clock);
        InetSocketAddress guesser = new InetSocketAddress("10.0.0.7", 40000);
        InetSocketAddress other = new InetSocketAddress("10.0.0.8", 40000);
        for (int i = 1; i < AuthFailureLimiter.MAX_FAILURES; i++) {
            assertThat(limiter.failed(guesser)).isFalse();
        }
        assertThat(limiter.isBlocked(guesser)).isFalse();
        assertThat(limiter.failed(guesser)).as("the fifth failure starts a block").isTrue();
        assertThat(limiter.isBlocked(guesser)).isTrue();
        assertThat(limiter.isBlocked(new InetSocketAddress("10.0.0.7", 40001))).as("by address, not port").isTrue();
        assertThat(limiter.isBlocked(other)).isFalse();
        clock.advance(Duration.ofMillis(AuthFailureLimiter.BLOCK_MS + 1));
        assertThat(limiter.isBlocked(guesser)).isFalse();
    }

    @Test
    void failuresSpreadOverTimeNeverBlock() {
        MovableClock clock = new MovableClock(Instant.ofEpochMilli(1_000_000));
        AuthFailureLimiter limiter = new AuthFailureLimiter(clock);
        InetSocketAddress slow = new InetSocketAddress("10.0.0.9", 40000);
        for (int i = 0; i < 20; i++) {
            limiter.failed(slow);
            clock.advance(Duration.ofMillis(AuthFailureLimiter.WINDOW_MS / 4 + 1));
        }
        assertThat(limiter.isBlocked(slow)).isFalse();
    }
}
