package dev.digestflow.schema.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;

/**
 * An in-memory registry for {@code mock://<scope>} URLs, as Confluent's serde offers: unit tests and
 * {@code TopologyTestDriver} tests run the real serde with no server. Instances are shared per scope
 * within the JVM so a serializer and a deserializer configured alike see the same ids. It enforces
 * compatibility like the real registry, so tests cannot pass on a schema change the registry refuses.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private static final Map<String, InMemorySchemaRegistryClient> SCOPES = new ConcurrentHashMap<>();

    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, TreeMap<Integer, Integer>> versionsBySubject = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;

    /** The registry for a scope, created on first use. */
    public static InMemorySchemaRegistryClient forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistryClient());
    }

    /** Forgets a scope, so the next test starts empty. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        TreeMap<Integer, Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new TreeMap<>());
        Integer existingId = idsBySchema.get(schema.toString());
        if (existingId != null && versions.containsValue(existingId)) {
            return existingId;
        }
        List<String> problems = CompatibilityChecker.incompatibilities(level(subject), schema, schemas(versions));
        if (!problems.isEmpty()) {
            throw new SchemaRegistryException(409, SchemaRegistryException.INCOMPATIBLE_SCHEMA,
                    "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\": " + problems);
        }
        int id = idsBySchema.computeIfAbsent(schema.toString(), s -> idsBySchema.size() + 1);
        schemasById.put(id, schema);
        versions.put(versions.isEmpty() ? 1 : versions.lastKey() + 1, id);
        return id;
    }

    @Override
    public synchronized SchemaMetadata lookup(String subject, Schema schema) {
        TreeMap<Integer, Integer> versions = existing(subject);
        Integer id = idsBySchema.get(schema.toString());
        return versions.entrySet().stream().filter(e -> e.getValue().equals(id)).findFirst()
                .map(e -> new SchemaMetadata(subject, e.getKey(), id, schema.toString()))
                .orElseThrow(() -> new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema not found"));
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SCHEMA_NOT_FOUND, "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public synchronized SchemaMetadata getLatest(String subject) {
        TreeMap<Integer, Integer> versions = existing(subject);
        return getVersion(subject, versions.lastKey());
    }

    @Override
    public synchronized SchemaMetadata getVersion(String subject, int version) {
        Integer id = existing(subject).get(version);
        if (id == null) {
            throw new SchemaRegistryException(404, SchemaRegistryException.VERSION_NOT_FOUND, "Version " + version + " not found.");
        }
        return new SchemaMetadata(subject, version, id, schemasById.get(id).toString());
    }

    @Override
    public synchronized List<String> subjects() {
        return versionsBySubject.keySet().stream().sorted().toList();
    }

    @Override
    public synchronized List<Integer> versions(String subject) {
        return List.copyOf(existing(subject).keySet());
    }

    @Override
    public synchronized List<Integer> deleteSubject(String subject) {
        List<Integer> versions = versions(subject);
        versionsBySubject.remove(subject);
        return versions;
    }

    @Override
    public synchronized CompatibilityLevel getGlobalCompatibility() {
        return globalLevel;
    }

    @Override
    public synchronized void setGlobalCompatibility(CompatibilityLevel level) {
        globalLevel = level;
    }

    @Override
    public synchronized Optional<CompatibilityLevel> getSubjectCompatibility(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    @Override
    public synchronized void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        subjectLevels.put(subject, level);
    }

    @Override
    public synchronized boolean testCompatibility(String subject, Integer version, Schema schema) {
        TreeMap<Integer, Integer> versions = existing(subject);
        List<Schema> against = version == null ? schemas(versions) : List.of(schemasById.get(getVersion(subject, version).id()));
        return CompatibilityChecker.incompatibilities(level(subject), schema, against).isEmpty();
    }

    private CompatibilityLevel level(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    private List<Schema> schemas(TreeMap<Integer, Integer> versions) {
        List<Schema> list = new ArrayList<>();
        versions.values().forEach(id -> list.add(schemasById.get(id)));
        return list;
    }

    private TreeMap<Integer, Integer> existing(String subject) {
        TreeMap<Integer, Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SchemaRegistryException(404, SchemaRegistryException.SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
        }
        return versions;
    }
}
