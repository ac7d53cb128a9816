package dev.digestflow.bench.jmh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.SourceRef;
import dev.digestflow.schema.id.ItemIds;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import dev.digestflow.schema.serde.ConfluentAvroSerde;

/**
 * Records/s through the Confluent-format serde (ids cached, in-memory registry), against the raw
 * baseline of plain Avro binary encoding of the same record measured in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SerdeBenchmark {

    private ConfluentAvroSerde<DigestItem> serde;
    private DigestItem item;
    private byte[] bytes;
    private final SpecificDatumWriter<DigestItem> rawWriter = new SpecificDatumWriter<>(DigestItem.class);

    @Setup
    public void setup() {
        serde = ConfluentAvroSerde.forValues(DigestItem.class, Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://bench"));
        String title = "Reinforcement Fine-Tuning Naturally Mitigates Forgetting in Continual Post-Training";
        item = DigestItem.newBuilder().setItemId(ItemIds.of(title)).setTitle(title)
                .setSummary("Continual post-training (CPT) is a popular and effective technique for adapting foundation models like "
                        + "multimodal large language models to specific and ever-evolving downstream tasks.")
                .setAuthors(List.of()).setAuthorCount(13).setPublished("2025-07-07").setPublishedText("Jul 7")
                .setSource(SourceRef.newBuilder().setFile("003_19fcee2af990f575.txt").setSha256("ab".repeat(32))
                        .setFormat("daily-papers").setOrdinal(20).setLine(157).build())
                .setIngestedAt(Instant.parse("2025-12-09T12:00:00Z")).build();
        bytes = serde.serializer().serialize("digest.items.raw", item);
    }

    @Benchmark
    public byte[] serialize() {
        return serde.serializer().serialize("digest.items.raw", item);
    }

    @Benchmark
    public DigestItem deserialize() {
        return serde.deserializer().deserialize("digest.items.raw", bytes);
    }

    @Benchmark
    public byte[] baselineRawAvroEncode() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        rawWriter.write(item, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
