package dev.digestflow.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.SourceRef;
import dev.digestflow.schema.id.ItemIds;
import dev.digestflow.schema.registry.InMemorySchemaRegistryClient;

class ConfluentAvroSerdeTest {

    private final String scope = "serde-test-" + UUID.randomUUID();
    private final Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);
    private final ConfluentAvroSerde<DigestItem> serde = ConfluentAvroSerde.forValues(DigestItem.class, config);

    @AfterEach
    void dropRegistry() {
        serde.close();
        InMemorySchemaRegistryClient.dropScope(scope);
    }

    static DigestItem item(String title) {
        return DigestItem.newBuilder()
                .setItemId(ItemIds.of(title))
                .setTitle(title)
                .setSummary("A summary with unicode \u2011 and emoji \uD83D\uDE80")
                .setUrl(null)
                .setAuthors(List.of("Ada", "Grace"))
                .setAuthorCount(2)
                .setPublished("2025-08-25")
                .setPublishedText("August 25, 2025")
                .setReadMinutes(7)
                .setSource(SourceRef.newBuilder().setFile("digest.txt").setSha256("ab".repeat(32)).setFormat("blog-listing")
                        .setOrdinal(3).setLine(42).build())
                .setIngestedAt(Instant.ofEpochMilli(1_760_000_000_000L))
                .build();
    }

    @Test
    void roundTripsASpecificRecord() {
        DigestItem original = item("Agents that plan");
        byte[] bytes = serde.serializer().serialize("digest.items.raw", original);
        assertThat(serde.deserializer().deserialize("digest.items.raw", bytes)).isEqualTo(original);
    }

    @Test
    void writesConfluentWireFormatByteForByte() throws Exception {
        DigestItem original = item("Agents that plan");
        byte[] bytes = serde.serializer().serialize("digest.items.raw", original);
        int id = InMemorySchemaRegistryClient.forScope(scope).getLatest("digest.items.raw-value").id();

        // What Confluent's KafkaAvroSerializer writes: 0x00, the id as a big-endian int, then plain Avro binary.
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(0);
        expected.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(expected, null);
        new SpecificDatumWriter<>(DigestItem.class).write(original, encoder);
        encoder.flush();
        assertThat(bytes).isEqualTo(expected.toByteArray());
    }

    @Test
    void registersUnderTopicNameStrategySubjects() {
        serde.serializer().serialize("digest.items.raw", item("x1"));
        ConfluentAvroSerializer<DigestItem> keySerializer = new ConfluentAvroSerializer<>();
        keySerializer.configure(config, true);
        keySerializer.serialize("digest.items.raw", item("x2"));
        assertThat(InMemorySchemaRegistryClient.forScope(scope).subjects())
                .containsExactly("digest.items.raw-key", "digest.items.raw-value");
    }

    @Test
    void genericReaderWithoutSpecificFlagYieldsGenericRecord() {
        byte[] bytes = serde.serializer().serialize("t", item("Generic read"));
        ConfluentAvroDeserializer<Object> generic = new ConfluentAvroDeserializer<>();
        generic.configure(config, false);
        Object read = generic.deserialize("t", bytes);
        assertThat(read).isInstanceOf(GenericRecord.class);
        assertThat(((GenericRecord) read).get("title").toString()).isEqualTo("Generic read");

        ConfluentAvroDeserializer<Object> specific = new ConfluentAvroDeserializer<>();
        specific.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope, AvroSerdeConfig.SPECIFIC_AVRO_READER, true), false);
        assertThat(specific.deserialize("t", bytes)).isInstanceOf(DigestItem.class);
    }

    @Test
    void nullStaysNull() {
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void rejectsAPayloadShorterThanTheHeader() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[] {0, 0, 1}))
                .isInstanceOf(UndecodableRecordException.class).hasMessageContaining("truncated payload").hasMessageContaining("3 bytes");
    }

    @Test
    void rejectsAWrongMagicByte() {
        byte[] bytes = serde.serializer().serialize("t", item("magic"));
        bytes[0] = 0x7b; // '{': somebody produced JSON
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", bytes))
                .isInstanceOf(UndecodableRecordException.class).hasMessageContaining("unknown magic byte 0x7b");
    }

    @Test
    void rejectsAnUnknownSchemaId() {
        byte[] bytes = serde.serializer().serialize("t", item("unknown id"));
        ByteBuffer.wrap(bytes).putInt(1, 4242);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", bytes))
                .isInstanceOf(UndecodableRecordException.class).hasMessageContaining("unknown schema id 4242");
    }

    @Test
    void rejectsATruncatedPayload() {
        byte[] bytes = serde.serializer().serialize("t", item("truncated payload here"));
        byte[] cut = Arrays.copyOf(bytes, bytes.length / 2);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", cut))
                .isInstanceOf(UndecodableRecordException.class).hasMessageContaining("truncated or corrupt payload");
    }

    @Test
    void rejectsBytesLeftOverAfterTheRecord() {
        byte[] bytes = serde.serializer().serialize("t", item("trailing"));
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", longer))
                .isInstanceOf(UndecodableRecordException.class).hasMessageContaining("bytes left over");
    }

    @Test
    void rejectsAnIncompatibleWriterSchema() throws Exception {
        Schema other = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"Other\",\"fields\":[{\"name\":\"n\",\"type\":\"int\"}]}");
        GenericRecord record = new GenericData.Record(other);
        record.put("n", 1);
        ConfluentAvroSerializer<GenericRecord> writer = new ConfluentAvroSerializer<>();
        writer.configure(config, false);
        byte[] bytes = writer.serialize("other.topic", record);
        assertThatThrownBy(() -> serde.deserializer().deserialize("other.topic", bytes))
                .isInstanceOf(UndecodableRecordException.class).hasMessageContaining("is incompatible with reader schema dev.digestflow.schema.DigestItem")
                .hasMessageContaining("NAME_MISMATCH at /name")
                // One line for a person and a DLQ header, not both schemas repeated per incompatibility.
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(1000).doesNotContain("\"fields\""));
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaIsAClearError() {
        ConfluentAvroSerializer<DigestItem> strict = new ConfluentAvroSerializer<>();
        strict.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false), false);
        assertThatThrownBy(() -> strict.serialize("never.registered", item("x")))
                .isInstanceOf(SerializationException.class).hasMessageContaining("never.registered-value");
    }

    @Test
    void useLatestVersionWritesWithTheRegisteredSchema() {
        serde.serializer().serialize("latest.topic", item("first"));
        ConfluentAvroSerializer<DigestItem> latest = new ConfluentAvroSerializer<>();
        latest.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope, AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false,
                AvroSerdeConfig.USE_LATEST_VERSION, true), false);
        byte[] bytes = latest.serialize("latest.topic", item("second"));
        assertThat(serde.deserializer().deserialize("latest.topic", bytes).getTitle()).isEqualTo("second");
    }

    @Test
    void missingRegistryUrlNamesTheKey() {
        ConfluentAvroSerializer<DigestItem> s = new ConfluentAvroSerializer<>();
        assertThatThrownBy(() -> s.configure(Map.of(), false)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }
}
