package dev.digestflow.schema.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import dev.digestflow.schema.registry.CachedSchemaRegistryClient;
import dev.digestflow.schema.registry.SchemaRegistryClient;
import dev.digestflow.schema.registry.SchemaRegistryException;

/**
 * Serializes Avro records (generated or generic) into Confluent's wire format, registering or looking
 * up the schema under {@code <topic>-value} / {@code <topic>-key} (TopicNameStrategy). Ids come from
 * the caching registry client, so the registry is asked once per schema and subject.
 */
public class ConfluentAvroSerializer<T extends GenericContainer> implements Serializer<T> {

    private SchemaRegistryClient registry;
    private boolean isKey;
    private boolean autoRegister;
    private boolean useLatestVersion;
    // Avro's datum writers keep no state between writes: one per schema serves every thread.
    private final Map<Schema, DatumWriter<T>> specificWriters = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<T>> genericWriters = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation; {@link #configure} must follow. */
    public ConfluentAvroSerializer() {
    }

    /** For tests and tools that already hold a registry client. */
    public ConfluentAvroSerializer(SchemaRegistryClient registry, Map<String, ?> configs, boolean isKey) {
        this.registry = registry;
        applyConfig(new AvroSerdeConfig(configs), isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        if (registry == null) {
            registry = CachedSchemaRegistryClient.fromConfig(config);
        }
        applyConfig(config, isKey);
    }

    private void applyConfig(AvroSerdeConfig config, boolean isKey) {
        this.isKey = isKey;
        this.autoRegister = config.autoRegister();
        this.useLatestVersion = config.useLatestVersion();
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        return encode(topic, writerSchema(topic, record), record);
    }

    /** The id and schema a record is written with on a topic. */
    public record WriterSchema(int id, Schema schema) {
    }

    /**
     * The schema id (and schema) for a record on this topic's subject: registered, looked up or the
     * subject's latest, as configured. The client caches it, so this asks the registry once per
     * schema and subject; a caller that writes one record to several topics registers each subject.
     */
    public WriterSchema writerSchema(String topic, T record) {
        if (registry == null) {
            throw new SerializationException("ConfluentAvroSerializer used before configure(): no schema registry");
        }
        String subject = WireFormat.subject(topic, isKey);
        Schema schema = record.getSchema();
        try {
            if (useLatestVersion) {
                var latest = registry.getLatest(subject);
                return new WriterSchema(latest.id(), registry.getById(latest.id()));
            } else if (autoRegister) {
                return new WriterSchema(registry.register(subject, schema), schema);
            } else {
                return new WriterSchema(registry.lookup(subject, schema).id(), schema);
            }
        } catch (SchemaRegistryException e) {
            SchemaRegistryUnavailableException unavailable = SchemaRegistryUnavailableException.forAnswer(e,
                    "subject '" + subject + "' (schema " + schema.getFullName() + ")");
            if (unavailable != null) {
                throw unavailable;
            }
            throw new SerializationException("cannot get a schema id for subject '" + subject + "' (schema "
                    + schema.getFullName() + "): " + e.getMessage(), e);
        }
    }

    /** The record in Confluent's wire format: magic byte, the schema id, the Avro binary written with that schema. */
    public byte[] encode(String topic, WriterSchema writer, T record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            out.write(WireFormat.MAGIC_BYTE);
            out.write(ByteBuffer.allocate(4).putInt(writer.id()).array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer(record, writer.schema()).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + writer.schema().getFullName() + " for topic '" + topic
                    + "' with schema id " + writer.id() + ": " + e.getMessage(), e);
        }
    }

    /** One writer per schema: building a SpecificDatumWriter looks the record's class and data model up, per call that was. */
    @SuppressWarnings("unchecked")
    private DatumWriter<T> writer(T record, Schema schema) {
        if (record instanceof SpecificRecord) {
            return specificWriters.computeIfAbsent(schema, s -> new SpecificDatumWriter<>(s));
        }
        return genericWriters.computeIfAbsent(schema, s -> new GenericDatumWriter<T>(s));
    }

    /** The registry client in use, for tools that share it. */
    public SchemaRegistryClient registry() {
        return registry;
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}
