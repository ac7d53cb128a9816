package dev.digestflow.schema.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), new Random(42));

    @Test
    void delayDoublesWithinEqualJitterBounds() {
        for (int attempt = 0; attempt < 7; attempt++) {
            long cap = 100L << attempt;
            for (int i = 0; i < 200; i++) {
                assertThat(backoff.delay(attempt).toMillis()).as("attempt %d", attempt).isBetween(cap / 2, cap);
            }
        }
    }

    @Test
    void delayIsCappedAndNeverOverflows() {
        for (int attempt : new int[] {8, 20, 62, 63, 1000, Integer.MAX_VALUE}) {
            assertThat(backoff.delay(attempt).toMillis()).as("attempt %d", attempt).isBetween(5_000L, 10_000L);
        }
    }

    @Test
    void delaysAreJittered() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            seen.add(backoff.delay(5).toMillis());
        }
        assertThat(seen).hasSizeGreaterThan(10);
    }

    @Test
    void rejectsBadDurations() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new Random())).hasMessageContaining("initial backoff must be positive");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(-5), Duration.ofSeconds(1), new Random())).hasMessageContaining("positive");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random())).hasMessageContaining("below the initial");
        assertThatThrownBy(() -> backoff.delay(-1)).hasMessageContaining("attempt");
    }
}
