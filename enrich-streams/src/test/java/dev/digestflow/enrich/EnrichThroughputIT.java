package dev.digestflow.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.sun.management.OperatingSystemMXBean;

import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.enrich.topology.EnrichMetrics;
import dev.digestflow.enrich.topology.EnrichTopology;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestStack;
import dev.digestflow.teststack.TestStackExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Measures, in one run and on the same input, the enrich topology against a pass-through topology
 * (consume, produce) under the same processing guarantee. It prints the figures; it asserts only
 * correctness (counts), never timing.
 */
@ExtendWith(TestStackExtension.class)
class EnrichThroughputIT {

    private static final int ITEMS = 20_000;

    @Test
    void enrichAgainstPassThroughOnTheSameInput(TestStack stack, TestNames names, @TempDir Path state) throws Exception {
        EnrichHarness enrich = new EnrichHarness(stack, names, "tput-enrich", state.resolve("enrich"));
        EnrichConfig config = new EnrichConfig(enrich.settings());
        EnrichStreamsApp.ensureTopics(config, Taxonomy.defaults());
        List<DigestItem> items = new ArrayList<>(EnrichHarness.syntheticItems(ITEMS * 9 / 10, "Throughput"));
        items.addAll(items.subList(0, ITEMS / 10)); // 10 % duplicates, as the bench generator does
        enrich.produce(items);

        // Pass-through: the same input topic, the same guarantee, no dedup, no tagging, bytes in and out.
        EnrichHarness pass = new EnrichHarness(stack, names, "tput-pass", state.resolve("pass"));
        StreamsBuilder b = new StreamsBuilder();
        b.stream(enrich.raw, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())).to(pass.tagged, Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        Properties passProps = EnrichTopology.streamsProperties(new EnrichConfig(pass.settings()), null);
        EnrichStreamsApp.ensureTopics(new EnrichConfig(pass.settings()), Taxonomy.defaults());
        Measured passThrough = measure(new KafkaStreams(b.build(), passProps), () -> pass.caughtUp(pass.app, enrich.raw));
        Measured enriched = measure(new KafkaStreams(EnrichTopology.build(config, Taxonomy.defaults(), new EnrichMetrics(new SimpleMeterRegistry())),
                EnrichTopology.streamsProperties(config, null)), enrich::caughtUp);

        assertThat(enrich.readTagged()).hasSize(ITEMS * 9 / 10);
        String report = String.format(Locale.ROOT, "%n%-14s %8s %10s %12s %16s%n%-14s %8d %10.1f %12.0f %16.0f%n%-14s %8d %10.1f %12.0f %16.0f%nratio enrich/pass-through: %.2f (items/s), %.2f (items per CPU-second)%n",
                "topology", "items", "seconds", "items/s", "items/CPU-second",
                "pass-through", items.size(), passThrough.seconds, items.size() / passThrough.seconds, items.size() / passThrough.cpuSeconds,
                "enrich", items.size(), enriched.seconds, items.size() / enriched.seconds, items.size() / enriched.cpuSeconds,
                passThrough.seconds / enriched.seconds, passThrough.cpuSeconds / enriched.cpuSeconds);
        System.out.println("[enrich-throughput] processing.guarantee=" + passProps.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG) + report);
    }

    private record Measured(double seconds, double cpuSeconds) {
    }

    private static Measured measure(KafkaStreams streams, java.util.concurrent.Callable<Boolean> done) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        streams.start();
        try {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100)).until(done);
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
        return new Measured((System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - cpu0) / 1e9);
    }
}
