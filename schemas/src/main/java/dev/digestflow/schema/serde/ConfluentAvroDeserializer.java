package dev.digestflow.schema.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

import dev.digestflow.schema.registry.CachedSchemaRegistryClient;
import dev.digestflow.schema.registry.SchemaRegistryClient;
import dev.digestflow.schema.registry.SchemaRegistryException;

/**
 * Reads Confluent's wire format. The writer schema is fetched by id (cached) and resolved against the
 * reader schema: the target class's schema when one is given, the generated class of the writer's
 * name when {@code specific.avro.reader=true}, or the writer schema itself (GenericRecord).
 *
 * <p>Every way bytes can be wrong ends in an {@link UndecodableRecordException} whose message says
 * which: wrong magic byte, unknown schema id, truncated payload, trailing bytes, or a writer schema the
 * reader cannot resolve; callers dead-letter those. A registry that cannot answer (down, slow, 5xx,
 * 429) ends in a {@link SchemaRegistryUnavailableException} instead: the record is fine and must be
 * retried, never dead-lettered. A failed lookup is not cached, so the next attempt asks again.
 */
public class ConfluentAvroDeserializer<T> implements Deserializer<T> {

    private final Class<? extends SpecificRecord> targetClass;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;
    private boolean specificReader;

    /** Generic (or specific with specific.avro.reader=true) reader, for Kafka's reflective instantiation. */
    public ConfluentAvroDeserializer() {
        this.targetClass = null;
    }

    /** A reader into one generated class, whatever compatible schema the writer used. */
    public ConfluentAvroDeserializer(Class<? extends SpecificRecord> targetClass) {
        this.targetClass = targetClass;
    }

    /** For tests and tools that already hold a registry client. */
    public ConfluentAvroDeserializer(SchemaRegistryClient registry, Class<? extends SpecificRecord> targetClass,
            Map<String, ?> configs) {
        this.targetClass = targetClass;
        this.registry = registry;
        this.specificReader = new AvroSerdeConfig(configs).specificReader();
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        if (registry == null) {
            registry = CachedSchemaRegistryClient.fromConfig(config);
        }
        this.specificReader = config.specificReader();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (data.length < WireFormat.HEADER_SIZE) {
            throw new UndecodableRecordException("truncated payload on topic '" + topic + "': " + data.length
                    + " bytes, but a Confluent Avro record needs at least " + WireFormat.HEADER_SIZE
                    + " (magic byte and 4-byte schema id)");
        }
        if (data[0] != WireFormat.MAGIC_BYTE) {
            throw new UndecodableRecordException(String.format(
                    "unknown magic byte 0x%02x on topic '%s' (expected 0x00): not Confluent Avro wire format", data[0], topic));
        }
        if (registry == null) {
            throw new IllegalStateException("ConfluentAvroDeserializer used before configure(): no schema registry");
        }
        int id = ByteBuffer.wrap(data, 1, 4).getInt();
        DatumReader<T> reader = readers.computeIfAbsent(id, this::readerFor);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE,
                data.length - WireFormat.HEADER_SIZE, null);
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new UndecodableRecordException("truncated or corrupt payload on topic '" + topic + "' for schema id "
                    + id + " (" + data.length + " bytes): " + e, e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new UndecodableRecordException("corrupt payload on topic '" + topic + "' for schema id " + id
                        + ": bytes left over after the record; the data was not written with that schema");
            }
        } catch (IOException e) {
            throw new UndecodableRecordException("cannot read payload on topic '" + topic + "': " + e, e);
        }
        return record;
    }

    private DatumReader<T> readerFor(int id) {
        Schema writer;
        try {
            writer = registry.getById(id);
        } catch (SchemaRegistryException e) {
            SchemaRegistryUnavailableException unavailable = SchemaRegistryUnavailableException.forAnswer(e, "writer schema id " + id);
            if (unavailable != null) {
                throw unavailable;
            }
            if (e.errorCode() == SchemaRegistryException.SCHEMA_NOT_FOUND || e.httpStatus() == 404) {
                throw new UndecodableRecordException("unknown schema id " + id + ": the registry has no such schema", e);
            }
            throw new UndecodableRecordException("cannot fetch writer schema id " + id + ": " + e.getMessage(), e);
        }
        Schema reader = readerSchema(writer);
        var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (compatibility.getType() != SchemaCompatibilityType.COMPATIBLE) {
            throw new UndecodableRecordException("writer schema id " + id + " (" + writer.getFullName()
                    + ") is incompatible with reader schema " + reader.getFullName() + ": " + summary(compatibility.getResult().getIncompatibilities()));
        }
        return specific(reader) ? new SpecificDatumReader<>(writer, reader) : new GenericDatumReader<>(writer, reader);
    }

    /**
     * The incompatibilities in one short line ({@code NAME_MISMATCH at /name: expected ...}): Avro's
     * own toString repeats both whole schemas per incompatibility, tens of kilobytes in a DLQ header
     * and a log line. The schemas are in the registry under the writer's id.
     */
    static String summary(java.util.List<SchemaCompatibility.Incompatibility> incompatibilities) {
        StringBuilder s = new StringBuilder();
        int shown = 0;
        for (SchemaCompatibility.Incompatibility i : incompatibilities) {
            if (shown == 5) {
                s.append("; and ").append(incompatibilities.size() - shown).append(" more");
                break;
            }
            s.append(shown++ == 0 ? "" : "; ").append(i.getType()).append(" at ").append(i.getLocation()).append(": ").append(i.getMessage());
        }
        return s.toString();
    }

    private Schema readerSchema(Schema writer) {
        if (targetClass != null) {
            return SpecificData.get().getSchema(targetClass);
        }
        if (specificReader) {
            Class<?> generated = SpecificData.get().getClass(writer);
            if (generated != null && SpecificRecord.class.isAssignableFrom(generated)) {
                return SpecificData.get().getSchema(generated);
            }
            throw new UndecodableRecordException("specific.avro.reader=true but no generated class for " + writer.getFullName()
                    + " is on the classpath");
        }
        return writer;
    }

    private boolean specific(Schema reader) {
        return targetClass != null || specificReader;
    }

    @Override
    public void close() {
        if (registry != null) {
            registry.close();
        }
    }
}
