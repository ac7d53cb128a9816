package dev.digestflow.schema.serde;

import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import dev.digestflow.schema.registry.SchemaRegistryClient;

/**
 * A {@link Serde} for one generated record class in Confluent's wire format, for Kafka Streams and for
 * plain clients alike.
 */
public final class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final ConfluentAvroSerializer<T> serializer;
    private final ConfluentAvroDeserializer<T> deserializer;

    public ConfluentAvroSerde(Class<T> type) {
        this.serializer = new ConfluentAvroSerializer<>();
        this.deserializer = new ConfluentAvroDeserializer<>(type);
    }

    /** A serde sharing an existing client (tests, tools). */
    public ConfluentAvroSerde(Class<T> type, SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
        this.serializer = new ConfluentAvroSerializer<>(registry, configs, isKey);
        this.deserializer = new ConfluentAvroDeserializer<>(registry, type, configs);
    }

    /** A configured value serde for the type. */
    public static <T extends SpecificRecord> ConfluentAvroSerde<T> forValues(Class<T> type, Map<String, ?> configs) {
        ConfluentAvroSerde<T> serde = new ConfluentAvroSerde<>(type);
        serde.configure(configs, false);
        return serde;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public ConfluentAvroSerializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
