package dev.digestflow.ingest.ops;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The service's meters: files by outcome, items produced, parse and publish times, retries. */
public final class IngestMetrics {

    private final Counter processed;
    private final Counter failed;
    private final Counter skipped;
    private final Counter items;
    private final Counter retries;
    private final Timer parse;
    private final Timer publish;

    public IngestMetrics(MeterRegistry registry) {
        processed = Counter.builder("digestflow.ingest.files").tag("status", "processed").description("Files whose items were all acknowledged").register(registry);
        failed = Counter.builder("digestflow.ingest.files").tag("status", "failed").description("Files rejected to failed/").register(registry);
        skipped = Counter.builder("digestflow.ingest.files").tag("status", "skipped").description("Files whose content was already processed").register(registry);
        items = Counter.builder("digestflow.ingest.items.produced").description("Item events acknowledged by Kafka").register(registry);
        retries = Counter.builder("digestflow.ingest.retries").description("Files put back for a retry because Kafka or a folder was unavailable").register(registry);
        parse = Timer.builder("digestflow.ingest.parse").description("Time to decode and parse one file").register(registry);
        publish = Timer.builder("digestflow.ingest.publish").description("Time from first send to last acknowledgement for one file").register(registry);
    }

    public void processed(int itemCount) {
        processed.increment();
        items.increment(itemCount);
    }

    public void failed() {
        failed.increment();
    }

    public void skipped() {
        skipped.increment();
    }

    public void retried() {
        retries.increment();
    }

    public void parseTime(Duration d) {
        parse.record(d);
    }

    public void publishTime(Duration d) {
        publish.record(d);
    }
}
