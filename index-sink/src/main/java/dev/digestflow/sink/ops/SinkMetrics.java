package dev.digestflow.sink.ops;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The sink's meters, named {@code digestflow.sink.*} (Prometheus: {@code digestflow_sink_*}). */
public final class SinkMetrics {

    private final MeterRegistry registry;
    private final Counter indexed;
    private final Counter conflicts;
    private final Counter malformedSkipped;
    private final Timer bulkLatency;
    private final DistributionSummary bulkSize;
    private final AtomicLong lag = new AtomicLong();

    public SinkMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.indexed = Counter.builder("digestflow.sink.documents.indexed").description("Documents Elasticsearch acknowledged").register(registry);
        this.conflicts = Counter.builder("digestflow.sink.version.conflicts")
                .description("Operations ignored because a newer version is indexed (replays, late retries)").register(registry);
        this.malformedSkipped = Counter.builder("digestflow.sink.malformed.skipped")
                .description("Malformed documents logged and skipped (malformed.policy=warn)").register(registry);
        this.bulkLatency = Timer.builder("digestflow.sink.bulk.latency").description("Bulk request round trips")
                .publishPercentiles(0.5, 0.95, 0.99).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(registry);
        this.bulkSize = DistributionSummary.builder("digestflow.sink.bulk.operations").description("Operations per bulk request").register(registry);
        Gauge.builder("digestflow.sink.consumer.lag", lag, AtomicLong::get).description("Records behind the end of the input partitions")
                .register(registry);
    }

    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    public void indexed(int n) {
        indexed.increment(n);
    }

    public void conflicts(int n) {
        conflicts.increment(n);
    }

    public void malformedSkipped() {
        malformedSkipped.increment();
    }

    public void deadLettered(String reason) {
        registry.counter("digestflow.sink.dlq.records", "reason", reason).increment();
    }

    public void retries(String cause, int n) {
        registry.counter("digestflow.sink.retries", "cause", cause).increment(n);
    }

    public void bulk(String outcome, long nanos, int operations) {
        registry.counter("digestflow.sink.bulk.requests", "outcome", outcome).increment();
        bulkLatency.record(Duration.ofNanos(nanos));
        bulkSize.record(operations);
    }

    public void lag(long value) {
        lag.set(value);
    }

    public double indexedCount() {
        return indexed.count();
    }
}
