package dev.digestflow.sink.write;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

import org.apache.kafka.common.TopicPartition;

/**
 * Which offset is safe to commit per partition: the lowest offset still unresolved (not yet
 * acknowledged by ES nor dead-lettered), or one past the highest read when all are resolved. Records
 * resolve out of order (bulks run concurrently, retries come back late), so a commit never passes a
 * record that could still be lost. Thread-safe: records are tracked by the consumer thread and
 * resolved by bulk callbacks.
 */
public final class OffsetTracker {

    private static final class PartitionState {
        final TreeSet<Long> unresolved = new TreeSet<>();
        long nextToRead = -1;
        long lastCommitted = -1;
    }

    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    private int pending;

    /** A record was read and handed to the writer. */
    public synchronized void track(TopicPartition tp, long offset) {
        PartitionState s = partitions.computeIfAbsent(tp, k -> new PartitionState());
        if (s.unresolved.add(offset)) {
            pending++;
        }
        s.nextToRead = Math.max(s.nextToRead, offset + 1);
    }

    /** The record is done: indexed, ignored as a version conflict, dead-lettered or skipped by policy. */
    public synchronized void resolve(TopicPartition tp, long offset) {
        PartitionState s = partitions.get(tp);
        if (s != null && s.unresolved.remove(offset)) {
            pending--;
            notifyAll();
        }
    }

    /**
     * Waits until no record of these partitions (all, when null) is unresolved, or the timeout.
     * Returns whether they drained.
     */
    public synchronized boolean awaitDrained(java.util.Collection<TopicPartition> tps, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int left = tps == null ? pending : tps.stream().mapToInt(this::pending).sum();
            long waitMs = (deadline - System.nanoTime()) / 1_000_000;
            if (left == 0) {
                return true;
            }
            if (waitMs <= 0) {
                return false;
            }
            wait(waitMs);
        }
    }

    /** Records read and not yet resolved, over all partitions. */
    public synchronized int pending() {
        return pending;
    }

    /** Unresolved records of one partition. */
    public synchronized int pending(TopicPartition tp) {
        PartitionState s = partitions.get(tp);
        return s == null ? 0 : s.unresolved.size();
    }

    /**
     * The offsets to commit now (Kafka's convention: the next offset to read), only for partitions
     * that moved since the last call. Marks them as committed.
     */
    public synchronized Map<TopicPartition, Long> takeCommittable() {
        Map<TopicPartition, Long> out = new HashMap<>();
        partitions.forEach((tp, s) -> {
            long safe = s.unresolved.isEmpty() ? s.nextToRead : s.unresolved.first();
            if (safe > s.lastCommitted && safe >= 0) {
                out.put(tp, safe);
                s.lastCommitted = safe;
            }
        });
        return out;
    }

    /** A commit of these partitions failed: offer them again on the next call. */
    public synchronized void commitFailed(Iterable<TopicPartition> tps) {
        tps.forEach(tp -> {
            PartitionState s = partitions.get(tp);
            if (s != null) {
                s.lastCommitted = -1;
            }
        });
    }

    /** The partition was revoked: its unresolved records belong to the next owner now. */
    public synchronized void forget(TopicPartition tp) {
        PartitionState s = partitions.remove(tp);
        if (s != null) {
            pending -= s.unresolved.size();
            notifyAll();
        }
    }

    /**
     * The record will be read again from this offset (its partition was rewound, e.g. while the schema
     * registry is down): it is no longer pending, and no commit may pass it.
     */
    public synchronized void rewind(TopicPartition tp, long offset) {
        PartitionState s = partitions.get(tp);
        if (s == null) {
            return;
        }
        if (s.unresolved.remove(offset)) {
            pending--;
            notifyAll();
        }
        s.nextToRead = Math.min(s.nextToRead, offset);
    }

    /** Whether a record of a partition is still expected by this tracker (not forgotten on revoke). */
    public synchronized boolean isTracked(TopicPartition tp, long offset) {
        PartitionState s = partitions.get(tp);
        return s != null && s.unresolved.contains(offset);
    }
}
