package dev.digestflow.enrich.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import dev.digestflow.schema.registry.SchemaRegistryClient;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import dev.digestflow.schema.serde.ConfluentAvroSerializer;

class EncodeOnceSerializerTest {

    private static final Schema ITEM = SchemaBuilder.record("Item").namespace("test").fields().requiredString("title").endRecord();
    private static final Schema ITEM_ELSEWHERE = SchemaBuilder.record("Item").namespace("other").fields().requiredString("title").endRecord();

    private static GenericRecord item(String title) {
        GenericRecord r = new GenericData.Record(ITEM);
        r.put("title", title);
        return r;
    }

    private static ConfluentAvroSerializer<GenericRecord> avro(boolean useLatest) {
        ConfluentAvroSerializer<GenericRecord> s = new ConfluentAvroSerializer<>();
        s.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://encode-once-" + UUID.randomUUID(), AvroSerdeConfig.USE_LATEST_VERSION,
                String.valueOf(useLatest)), false);
        return s;
    }

    @Test
    void theSameRecordIsEncodedOnceForEveryTopicAndEachTopicsSubjectIsRegistered() {
        ConfluentAvroSerializer<GenericRecord> avro = avro(false);
        EncodeOnceSerializer<GenericRecord> serializer = new EncodeOnceSerializer<>(avro);
        GenericRecord record = item("Distilling reasoning into small models");

        byte[] tagged = serializer.serialize("digest.items.tagged", record);
        byte[] firstTag = serializer.serialize("digest.tag.efficiency-cost", record);
        byte[] secondTag = serializer.serialize("digest.tag.reasoning", record);

        assertThat(firstTag).isSameAs(tagged);
        assertThat(secondTag).isSameAs(tagged);
        assertThat(tagged).isEqualTo(avro.serialize("digest.items.tagged", record));
        assertThat(avro.registry().subjects()).contains("digest.items.tagged-value", "digest.tag.efficiency-cost-value", "digest.tag.reasoning-value");
    }

    @Test
    void anotherRecordIsEncodedAgainEvenWhenEqual() {
        EncodeOnceSerializer<GenericRecord> serializer = new EncodeOnceSerializer<>(avro(false));
        byte[] first = serializer.serialize("t", item("same title"));
        byte[] second = serializer.serialize("t", item("same title"));
        byte[] third = serializer.serialize("t", item("another title"));
        assertThat(second).isNotSameAs(first).isEqualTo(first);
        assertThat(third).isNotEqualTo(first);
    }

    @Test
    void aTopicWhoseSubjectGivesAnotherSchemaIdIsEncodedWithThatId() {
        ConfluentAvroSerializer<GenericRecord> avro = avro(true);
        SchemaRegistryClient registry = avro.registry();
        int id = registry.register("a-value", ITEM);
        int otherId = registry.register("b-value", ITEM_ELSEWHERE);
        assertThat(otherId).isNotEqualTo(id);
        EncodeOnceSerializer<GenericRecord> serializer = new EncodeOnceSerializer<>(avro);
        GenericRecord record = item("pinned subjects");

        byte[] onA = serializer.serialize("a", record);
        byte[] onB = serializer.serialize("b", record);

        assertThat(schemaId(onA)).isEqualTo(id);
        assertThat(schemaId(onB)).isEqualTo(otherId);
        assertThat(onB).isNotSameAs(onA);
    }

    private static int schemaId(byte[] wire) {
        return java.nio.ByteBuffer.wrap(wire, 1, 4).getInt();
    }
}
