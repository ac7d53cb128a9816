package dev.digestflow.bench.measure;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds or the deadline passes; the failure says what was awaited. */
public final class Deadline {

    private Deadline() {
    }

    public static void await(String what, Duration timeout, Duration poll, Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > end) {
                throw new BenchFailure("gave up after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(poll.toMillis());
        }
    }
}
