package dev.digestflow.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LiveViewTest {

    @Test
    void aCommitMarkerAfterTheLastRecordIsNoLag() {
        // Last record at 41, its commit marker at 42: the group committed 42, the stable end is 43.
        assertThat(LiveView.recordsBehind(42, 43, 41L, 43L)).isZero();
        // A record at 42 not yet read by the group: lag.
        assertThat(LiveView.recordsBehind(42, 43, 42L, 43L)).isEqualTo(1);
        // This view has not read to the end yet: it cannot tell, so it reports the offsets.
        assertThat(LiveView.recordsBehind(42, 43, 41L, 42L)).isEqualTo(1);
        assertThat(LiveView.recordsBehind(10, 43, 41L, 43L)).isEqualTo(33);
        assertThat(LiveView.recordsBehind(43, 43, 41L, 43L)).isZero();
        assertThat(LiveView.recordsBehind(42, 43, null, null)).isEqualTo(1);
    }

    @Test
    void theItemsChartPicksKibanasRoundIntervalForTheRange() {
        assertThat(ItemSearch.interval(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(1));
        assertThat(ItemSearch.interval(Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(30));
        assertThat(ItemSearch.interval(Duration.ofHours(24))).isEqualTo(Duration.ofMinutes(30));
        assertThat(ItemSearch.interval(Duration.ofDays(7))).isEqualTo(Duration.ofHours(12));
        assertThat(ItemSearch.interval(Duration.ofDays(20_000))).isEqualTo(Duration.ofDays(365));
        for (long minutes : new long[] {1, 7, 59, 600, 5000, 100_000}) {
            Duration range = Duration.ofMinutes(minutes);
            assertThat(range.toMillis() / ItemSearch.interval(range).toMillis()).as(range.toString()).isLessThan(ItemSearch.BAR_TARGET);
        }
    }

    @Test
    void problemsAreAttributedToTheServiceThatLoggedThem() {
        assertThat(RecentProblems.serviceOf("dev.digestflow.ingest.file.FilePipeline")).isEqualTo("ingest-producer");
        assertThat(RecentProblems.serviceOf("org.apache.kafka.streams.processor.internals.StreamThread")).isEqualTo("enrich-streams");
        assertThat(RecentProblems.serviceOf("dev.digestflow.enrich.topology.DeadLetters")).isEqualTo("enrich-streams");
        assertThat(RecentProblems.serviceOf("dev.digestflow.sink.SinkService")).isEqualTo("index-sink");
        assertThat(RecentProblems.serviceOf("org.apache.kafka.clients.NetworkClient")).isEqualTo("other");
    }
}
