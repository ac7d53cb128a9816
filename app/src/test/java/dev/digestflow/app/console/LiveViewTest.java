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

    /** The figures Kibana's calcAutoIntervalNear(50, range) gives (its rounding rules), and the maxBars floor. */
    @Test
    void theItemsChartPicksKibanasAutoIntervalForTheRange() {
        assertThat(ItemSearch.interval(Duration.ofDays(7))).as("the dashboard's 7 days: 3.4 h per bar -> 3 h").isEqualTo(Duration.ofHours(3));
        assertThat(ItemSearch.interval(Duration.ofHours(24))).as("28.8 min per bar -> 30 min").isEqualTo(Duration.ofMinutes(30));
        assertThat(ItemSearch.interval(Duration.ofMinutes(15))).as("18 s per bar -> 30 s").isEqualTo(Duration.ofSeconds(30));
        assertThat(ItemSearch.interval(Duration.ofHours(1))).as("72 s per bar -> 1 min").isEqualTo(Duration.ofMinutes(1));
        assertThat(ItemSearch.interval(Duration.ofDays(30))).as("14.4 h per bar -> 12 h").isEqualTo(Duration.ofHours(12));
        assertThat(ItemSearch.interval(Duration.ofDays(365))).as("7.3 d per bar -> 1 week").isEqualTo(Duration.ofDays(7));
        assertThat(ItemSearch.interval(Duration.ofSeconds(2))).as("under every bound: the target itself").isEqualTo(Duration.ofMillis(40));
        for (long minutes : new long[] {1, 7, 59, 600, 5000, 100_000}) {
            Duration range = Duration.ofMinutes(minutes);
            long bars = range.toMillis() / ItemSearch.interval(range).toMillis();
            assertThat(bars).as(range.toString()).isBetween(10L, (long) ItemSearch.MAX_BARS * 2);
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
