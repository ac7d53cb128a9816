package dev.digestflow.sink.write;

import java.time.Duration;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While Elasticsearch is unreachable or overloaded, one log line per interval instead of one per
 * record or per bulk; one line when it recovers, with how long the outage lasted. Also the source of
 * truth for "is ES up" in health and metrics.
 */
public final class OutageLog {

    private static final Logger LOG = LoggerFactory.getLogger(OutageLog.class);

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private long downSinceNanos = -1;
    private long lastLoggedNanos;
    private long failuresSinceLog;
    private String lastCause = "";

    public OutageLog(Duration interval, LongSupplier nanoClock) {
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    /** A retryable failure happened. Returns whether this call logged (for tests). */
    public synchronized boolean failure(String cause, int waitingRecords) {
        long now = nanoClock.getAsLong();
        failuresSinceLog++;
        lastCause = cause;
        if (downSinceNanos < 0) {
            downSinceNanos = now;
            lastLoggedNanos = now;
            LOG.warn("Elasticsearch unavailable: {}; {} records wait, retrying with backoff (next report in {} s)", cause, waitingRecords,
                    intervalNanos / 1_000_000_000L);
            failuresSinceLog = 0;
            return true;
        }
        if (now - lastLoggedNanos >= intervalNanos) {
            LOG.warn("Elasticsearch still unavailable after {} s: {}; {} failed attempts since the last report, {} records wait",
                    (now - downSinceNanos) / 1_000_000_000L, cause, failuresSinceLog, waitingRecords);
            lastLoggedNanos = now;
            failuresSinceLog = 0;
            return true;
        }
        return false;
    }

    /** A bulk succeeded. Returns whether this call ended an outage. */
    public synchronized boolean success() {
        if (downSinceNanos < 0) {
            return false;
        }
        LOG.info("Elasticsearch reachable again after {} ms (last error: {})", (nanoClock.getAsLong() - downSinceNanos) / 1_000_000L, lastCause);
        downSinceNanos = -1;
        failuresSinceLog = 0;
        return true;
    }

    public synchronized boolean down() {
        return downSinceNanos >= 0;
    }

    public synchronized String lastCause() {
        return lastCause;
    }
}
