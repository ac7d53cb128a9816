package dev.digestflow.schema.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of
 * {@code min(max, initial * 2^n)}. The floor keeps a retry storm from hammering a recovering node;
 * the random half spreads many workers' retries apart. The caller decides when to give up (the sink
 * never does, the registry client after its max.retries, the start-up wait after its timeout).
 * The one backoff of the project, used by the registry client, the registry wait at start-up, the
 * ingest-producer's retries and the sink's; it lives in this, the lowest module, so the registry
 * client can use it too.
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private final RandomGenerator random;

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is below the initial backoff " + initial);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The delay before retry number {@code attempt} (0 = the first retry). */
    public Duration delay(int attempt) {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt must be >= 0, was " + attempt);
        }
        long cap = maxMillis;
        if (attempt < 62) {
            long grown = initialMillis << attempt;
            // A shift that overflowed does not shift back to the initial value.
            if ((grown >> attempt) == initialMillis) {
                cap = Math.min(maxMillis, grown);
            }
        }
        long half = cap / 2;
        return Duration.ofMillis(half + random.nextLong(cap - half + 1));
    }

    public Duration max() {
        return Duration.ofMillis(maxMillis);
    }
}
