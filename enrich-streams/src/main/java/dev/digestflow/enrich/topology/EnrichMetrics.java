package dev.digestflow.enrich.topology;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The topology's own meters; Kafka Streams' metrics are bound next to them by the app. */
public final class EnrichMetrics {

    private final MeterRegistry registry;
    private final Counter duplicates;

    public EnrichMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duplicates = Counter.builder("digestflow.enrich.duplicates.dropped").description("Items dropped because their itemId was already seen").register(registry);
    }

    public Counter duplicates() {
        return duplicates;
    }

    void tagged(String tag) {
        registry.counter("digestflow.enrich.items.tagged", "tag", tag).increment();
    }

    /**
     * Records the topology has finished with, whatever the outcome: tagged, dropped as duplicates, or
     * dead-lettered. It moves only while records get through.
     */
    public long recordsDone() {
        double done = duplicates.count();
        for (String name : new String[] {"digestflow.enrich.items.tagged", "digestflow.enrich.dlq.records"}) {
            done += registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
        }
        return (long) done;
    }

    public MeterRegistry registry() {
        return registry;
    }
}
