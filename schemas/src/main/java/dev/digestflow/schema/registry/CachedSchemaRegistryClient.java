package dev.digestflow.schema.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;

import dev.digestflow.schema.serde.AvroSerdeConfig;

/**
 * Caches the lookups a serde makes on every record: ids by (subject, schema) and schemas by id. Both
 * are immutable facts in a registry (an id never changes its schema), so the cache never expires.
 * Administrative calls pass straight through.
 */
public final class CachedSchemaRegistryClient implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<String, Map<Schema, SchemaMetadata>> lookups = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    public CachedSchemaRegistryClient(SchemaRegistryClient delegate) {
        this.delegate = delegate;
    }

    /** Builds the client for a serde configuration: in-memory for mock:// URLs, cached REST otherwise. */
    public static SchemaRegistryClient fromConfig(AvroSerdeConfig config) {
        List<String> urls = config.urls();
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(AvroSerdeConfig.SCHEMA_REGISTRY_URL + " must name at least one URL");
        }
        if (urls.get(0).startsWith("mock://")) {
            // Cached like the REST client, so tests and benchmarks exercise the same per-record path.
            return new CachedSchemaRegistryClient(InMemorySchemaRegistryClient.forScope(urls.get(0).substring("mock://".length())));
        }
        return new CachedSchemaRegistryClient(new RestSchemaRegistryClient(config));
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema, s -> delegate.register(subject, s));
    }

    @Override
    public SchemaMetadata lookup(String subject, Schema schema) {
        return lookups.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema, s -> delegate.lookup(subject, s));
    }

    @Override
    public Schema getById(int id) {
        return schemasById.computeIfAbsent(id, delegate::getById);
    }

    @Override
    public SchemaMetadata getLatest(String subject) {
        return delegate.getLatest(subject);
    }

    @Override
    public SchemaMetadata getVersion(String subject, int version) {
        return delegate.getVersion(subject, version);
    }

    @Override
    public List<String> subjects() {
        return delegate.subjects();
    }

    @Override
    public List<Integer> versions(String subject) {
        return delegate.versions(subject);
    }

    @Override
    public List<Integer> deleteSubject(String subject) {
        idsBySubject.remove(subject);
        lookups.remove(subject);
        return delegate.deleteSubject(subject);
    }

    @Override
    public CompatibilityLevel getGlobalCompatibility() {
        return delegate.getGlobalCompatibility();
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        delegate.setGlobalCompatibility(level);
    }

    @Override
    public Optional<CompatibilityLevel> getSubjectCompatibility(String subject) {
        return delegate.getSubjectCompatibility(subject);
    }

    @Override
    public void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        delegate.setSubjectCompatibility(subject, level);
    }

    @Override
    public boolean testCompatibility(String subject, Integer version, Schema schema) {
        return delegate.testCompatibility(subject, version, schema);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
