package dev.digestflow.enrich;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.digestflow.schema.retry.Backoff;
import dev.digestflow.schema.serde.SchemaRegistryUnavailableException;

/**
 * What happens when a stream thread dies. Its transaction is aborted and its offsets stay where they
 * were, so a replacement thread re-reads the same records: nothing is lost, but a thread that dies on
 * the same record again would loop. So:
 * <ul>
 * <li>A <b>schema registry outage</b> (the deserialization or production handler failed the thread
 * rather than dead-letter a good record) is waited out: the thread is replaced after a backoff that
 * grows to {@code retry.backoff.max.ms}, for as long as the outage lasts, and readiness is down
 * meanwhile.</li>
 * <li>Any <b>other error</b> is a bug or a broker-side refusal the handlers did not cover: the thread is
 * replaced after a backoff too, but at most {@code thread.replacements.max} times in the window; one
 * more and Kafka Streams shuts down (state ERROR), and the launcher exits 1, so that a supervisor
 * sees it instead of a service that says UP while it loops.</li>
 * </ul>
 * The backoff sleeps in the dying thread (Streams starts the replacement when this returns) and is cut
 * short by {@link #stopWaiting()} on close.
 */
final class StreamThreadRecovery implements StreamsUncaughtExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadRecovery.class);

    /** Sleeps for a duration, or less when the service is closing. */
    interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    private final int maxReplacements;
    private final Duration window;
    private final Backoff backoff;
    private final LongSupplier nanoClock;
    private final LongSupplier recordsDone;
    private final Pause pause;
    private final Deque<Long> replacements = new ArrayDeque<>();
    private volatile int registryAttempts;
    private volatile Instant registryDownSince;
    private volatile String registryCause;
    private volatile long recordsDoneAtFailure = -1;
    private volatile boolean closing;

    /**
     * @param recordsDone a counter that moves whenever the topology finishes a record (tagged, dropped
     *     as a duplicate, dead-lettered): once it moves after a registry failure, the outage is over
     */
    StreamThreadRecovery(int maxReplacements, Duration window, Backoff backoff, LongSupplier nanoClock, LongSupplier recordsDone, Pause pause) {
        this.maxReplacements = maxReplacements;
        this.window = window;
        this.backoff = backoff;
        this.nanoClock = nanoClock;
        this.recordsDone = recordsDone;
        this.pause = pause;
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        // Decide under the lock, pause outside it: health checks read the state meanwhile.
        if (closing) {
            // Streams skips a replacement once it is shutting down; SHUTDOWN_CLIENT would end a clean stop in ERROR.
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        Duration delay = decide(exception);
        if (delay == null) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        try {
            pause.pause(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** The delay before a replacement, or null to shut down. */
    private synchronized Duration decide(Throwable exception) {
        var registry = SchemaRegistryUnavailableException.in(exception);
        if (registry.isPresent()) {
            if (!registryWaiting()) {
                registryAttempts = 0;
            }
            Duration delay = backoff.delay(registryAttempts++);
            if (registryAttempts == 1) {
                registryDownSince = Instant.now();
            }
            recordsDoneAtFailure = recordsDone.getAsLong();
            registryCause = registry.get().getMessage();
            LOG.warn("schema registry unavailable: the stream thread stops and is replaced in {} ms to read the same records again; "
                    + "nothing is dead-lettered for this (attempt {}): {}", delay.toMillis(), registryAttempts, registry.get().getMessage());
            return delay;
        }
        long now = nanoClock.getAsLong();
        while (!replacements.isEmpty() && now - replacements.peekFirst() > window.toNanos()) {
            replacements.removeFirst();
        }
        if (replacements.size() >= maxReplacements) {
            LOG.error("stream thread died {} times within {} s; shutting Kafka Streams down (the service exits 1 so that a supervisor sees it). "
                    + "The last error:", replacements.size() + 1, window.toSeconds(), exception);
            return null;
        }
        replacements.addLast(now);
        Duration delay = backoff.delay(replacements.size() - 1);
        LOG.error("stream thread died; replacing it in {} ms ({} of at most {} replacements within {} s). The records it held are re-read:",
                delay.toMillis(), replacements.size(), maxReplacements, window.toSeconds(), exception);
        return delay;
    }

    /** The registry outage the service is waiting out, or null when none is (or it is over). */
    String registryWait() {
        return registryWaiting() ? "schema registry unavailable since " + registryDownSince + "; records are held, not dead-lettered ("
                + registryAttempts + " attempts): " + registryCause : null;
    }

    private boolean registryWaiting() {
        if (registryDownSince == null) {
            return false;
        }
        if (recordsDone.getAsLong() > recordsDoneAtFailure) {
            registryDownSince = null;
            return false;
        }
        return true;
    }

    /** On close: no more waiting, and no replacement. */
    void stopWaiting() {
        closing = true;
    }
}
