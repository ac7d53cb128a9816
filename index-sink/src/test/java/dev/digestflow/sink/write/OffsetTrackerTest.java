package dev.digestflow.sink.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private final TopicPartition p0 = new TopicPartition("t", 0);
    private final TopicPartition p1 = new TopicPartition("t", 1);
    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void commitsNeverPassAnUnresolvedRecord() {
        for (long o = 10; o < 15; o++) {
            tracker.track(p0, o);
        }
        assertThat(tracker.takeCommittable()).containsEntry(p0, 10L);
        tracker.resolve(p0, 11);
        tracker.resolve(p0, 13);
        assertThat(tracker.takeCommittable()).as("10 still open; nothing moved").isEmpty();
        tracker.resolve(p0, 10);
        assertThat(tracker.takeCommittable()).containsExactly(Map.entry(p0, 12L));
        tracker.resolve(p0, 12);
        tracker.resolve(p0, 14);
        assertThat(tracker.takeCommittable()).containsExactly(Map.entry(p0, 15L));
        assertThat(tracker.pending()).isZero();
    }

    @Test
    void partitionsAreIndependent() {
        tracker.track(p0, 0);
        tracker.track(p1, 100);
        tracker.resolve(p1, 100);
        assertThat(tracker.takeCommittable()).containsEntry(p0, 0L).containsEntry(p1, 101L);
        assertThat(tracker.pending(p0)).isEqualTo(1);
        assertThat(tracker.pending(p1)).isZero();
    }

    @Test
    void failedCommitIsOfferedAgain() {
        tracker.track(p0, 0);
        tracker.resolve(p0, 0);
        assertThat(tracker.takeCommittable()).containsEntry(p0, 1L);
        assertThat(tracker.takeCommittable()).isEmpty();
        tracker.commitFailed(List.of(p0));
        assertThat(tracker.takeCommittable()).containsEntry(p0, 1L);
    }

    @Test
    void revokedPartitionIsForgottenAndLateResolutionsAreHarmless() {
        tracker.track(p0, 5);
        tracker.track(p0, 6);
        tracker.forget(p0);
        assertThat(tracker.pending()).isZero();
        assertThat(tracker.isTracked(p0, 5)).isFalse();
        tracker.resolve(p0, 5);
        assertThat(tracker.pending()).isZero();
        assertThat(tracker.takeCommittable()).isEmpty();
    }

    @Test
    void resolvingTwiceCountsOnce() {
        tracker.track(p0, 1);
        tracker.track(p0, 2);
        tracker.resolve(p0, 1);
        tracker.resolve(p0, 1);
        assertThat(tracker.pending()).isEqualTo(1);
    }

    @Test
    void awaitDrainedReturnsWhenAnotherThreadResolves() throws Exception {
        tracker.track(p0, 1);
        assertThat(tracker.awaitDrained(List.of(p0), Duration.ofMillis(20))).isFalse();
        Thread resolver = new Thread(() -> tracker.resolve(p0, 1));
        resolver.start();
        assertThat(tracker.awaitDrained(null, Duration.ofSeconds(10))).isTrue();
        resolver.join();
    }
}
