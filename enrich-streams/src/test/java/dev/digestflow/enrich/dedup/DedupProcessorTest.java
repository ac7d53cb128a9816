package dev.digestflow.enrich.dedup;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class DedupProcessorTest {

    private final Counter counter = new SimpleMeterRegistry().counter("d");

    @Test
    void rejectsNonsenseAtConstruction() {
        assertThatThrownBy(() -> new DedupProcessor<String>("s", Duration.ZERO, v -> v, counter)).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> new DedupProcessor<String>("s", Duration.ofMillis(-5), v -> v, counter)).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> new DedupProcessor<String>("s", null, v -> v, counter)).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> new DedupProcessor<String>("s", Duration.ofDays(36500), v -> v, counter)).hasMessageContaining("over the maximum");
        assertThatThrownBy(() -> new DedupProcessor<String>(" ", Duration.ofDays(1), v -> v, counter)).hasMessageContaining("store name");
        assertThatThrownBy(() -> new DedupProcessor<String>("s", Duration.ofDays(1), null, counter)).hasMessageContaining("idExtractor");
        assertThatThrownBy(() -> DedupProcessor.<String>supplier("s", Duration.ZERO, v -> v, counter)).hasMessageContaining("must be positive");
    }
}
