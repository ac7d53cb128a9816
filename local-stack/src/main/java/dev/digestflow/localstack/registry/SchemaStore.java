package dev.digestflow.localstack.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.digestflow.schema.registry.CompatibilityChecker;
import dev.digestflow.schema.registry.CompatibilityLevel;

/**
 * The registry's state, kept durably as Confluent's registry does: in a compacted, single-partition
 * Kafka topic ({@code _schemas}), with Confluent's key and value JSON layout. At start-up the topic
 * is read to its end; every change is written to it (and acknowledged) before it is applied in
 * memory, so ids and versions survive a restart. One writer per topic is assumed (one-machine mode).
 */
public final class SchemaStore implements AutoCloseable {

    public static final String DEFAULT_TOPIC = "_schemas";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private record Version(int id, boolean deleted) {
    }

    private final String topic;
    private final KafkaProducer<String, String> producer;
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    private final Map<String, TreeMap<Integer, Version>> subjects = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
    private int maxId;

    public SchemaStore(String bootstrapServers, String topic) {
        this.topic = topic;
        ensureTopic(bootstrapServers, topic);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        replay(bootstrapServers);
    }

    private static void ensureTopic(String bootstrapServers, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            NewTopic schemas = new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(schemas)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the registry topic " + topic + ": " + e.getCause(), e);
            }
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("cannot create the registry topic " + topic + ": " + e, e);
        }
    }

    private void replay(String bootstrapServers) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.position(tp) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end offset " + end + " within 60 s");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    apply(r.key(), r.value());
                }
            }
        }
    }

    private void apply(String keyJson, String valueJson) {
        try {
            JsonNode key = JSON.readTree(keyJson);
            String type = key.path("keytype").asText();
            if ("SCHEMA".equals(type)) {
                if (valueJson == null) {
                    TreeMap<Integer, Version> versions = subjects.get(key.get("subject").asText());
                    if (versions != null) {
                        versions.remove(key.get("version").asInt());
                    }
                    return;
                }
                JsonNode v = JSON.readTree(valueJson);
                Schema schema = new Schema.Parser().parse(v.get("schema").asText());
                int id = v.get("id").asInt();
                schemasById.put(id, schema);
                idsByCanonical.putIfAbsent(schema.toString(), id);
                maxId = Math.max(maxId, id);
                subjects.computeIfAbsent(v.get("subject").asText(), s -> new TreeMap<>())
                        .put(v.get("version").asInt(), new Version(id, v.path("deleted").asBoolean(false)));
            } else if ("CONFIG".equals(type)) {
                JsonNode subject = key.get("subject");
                CompatibilityLevel level = valueJson == null ? null
                        : CompatibilityLevel.parse(JSON.readTree(valueJson).get("compatibilityLevel").asText());
                if (subject == null || subject.isNull()) {
                    globalLevel = level == null ? CompatibilityLevel.BACKWARD : level;
                } else if (level == null) {
                    subjectLevels.remove(subject.asText());
                } else {
                    subjectLevels.put(subject.asText(), level);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("unreadable record in " + topic + " (key " + keyJson + "): " + e, e);
        }
    }

    private void write(ObjectNode key, ObjectNode value) {
        String k = key.toString();
        String v = value == null ? null : value.toString();
        try {
            producer.send(new ProducerRecord<>(topic, 0, k, v)).get(WRITE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryError(500, 50001, "interrupted while writing to " + topic);
        } catch (ExecutionException | TimeoutException e) {
            throw new RegistryError(500, 50001, "Error while storing the schema in Kafka topic " + topic + ": " + e);
        }
        apply(k, v);
    }

    private static ObjectNode schemaKey(String subject, int version) {
        return JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", subject).put("version", version).put("magic", 1);
    }

    /** Parses a schema as the registry receives it; 422/42201 when it is not valid Avro. */
    public static Schema parse(String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw new RegistryError(422, 42201, "Invalid schema: empty");
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (org.apache.avro.AvroRuntimeException | NullPointerException e) {
            // SchemaParseException, and AvroTypeException for a default that does not fit its type
            // ({"type":"int","default":"x"}): invalid input, 422 as Confluent answers, never a 5xx that
            // clients retry.
            throw new RegistryError(422, 42201, "Invalid schema " + schemaText + ": " + e.getMessage());
        }
    }

    /** Registers (or finds) the schema under the subject; returns the id. */
    public synchronized int register(String subject, Schema schema) {
        TreeMap<Integer, Version> versions = subjects.getOrDefault(subject, new TreeMap<>());
        Integer knownId = idsByCanonical.get(schema.toString());
        for (Version v : versions.values()) {
            if (!v.deleted() && knownId != null && v.id() == knownId) {
                return knownId;
            }
        }
        List<String> problems = CompatibilityChecker.incompatibilities(level(subject), schema, liveSchemas(versions));
        if (!problems.isEmpty()) {
            throw new RegistryError(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                    + subject + "\", details: " + problems);
        }
        int id = knownId != null ? knownId : maxId + 1;
        int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        ObjectNode value = JSON.createObjectNode().put("subject", subject).put("version", version).put("id", id)
                .put("schema", schema.toString()).put("deleted", false);
        write(schemaKey(subject, version), value);
        return id;
    }

    /** The live version of the subject holding this schema. */
    public synchronized Map.Entry<Integer, Integer> lookup(String subject, Schema schema) {
        TreeMap<Integer, Version> versions = live(subject);
        Integer id = idsByCanonical.get(schema.toString());
        return versions.entrySet().stream().filter(e -> !e.getValue().deleted() && id != null && e.getValue().id() == id)
                .findFirst().map(e -> Map.entry(e.getKey(), id)).orElseThrow(RegistryError::schemaNotFound);
    }

    public synchronized Schema byId(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw RegistryError.schemaNotFound();
        }
        return schema;
    }

    public synchronized List<String> subjects() {
        List<String> names = new ArrayList<>();
        subjects.forEach((s, versions) -> {
            if (versions.values().stream().anyMatch(v -> !v.deleted())) {
                names.add(s);
            }
        });
        names.sort(null);
        return names;
    }

    public synchronized List<Integer> versions(String subject) {
        List<Integer> list = new ArrayList<>();
        live(subject).forEach((version, v) -> {
            if (!v.deleted()) {
                list.add(version);
            }
        });
        return list;
    }

    /** The id of a live version; -1 means latest. */
    public synchronized Map.Entry<Integer, Integer> version(String subject, int version) {
        TreeMap<Integer, Version> versions = live(subject);
        if (version == -1) {
            version = new TreeSet<>(versions(subject)).last();
        }
        Version v = versions.get(version);
        if (v == null || v.deleted()) {
            throw RegistryError.versionNotFound(subject, version);
        }
        return Map.entry(version, v.id());
    }

    /** Soft-deletes every live version of the subject, as Confluent's DELETE /subjects/{s} does. */
    public synchronized List<Integer> deleteSubject(String subject) {
        List<Integer> deleted = versions(subject);
        for (int version : deleted) {
            int id = subjects.get(subject).get(version).id();
            write(schemaKey(subject, version), JSON.createObjectNode().put("subject", subject).put("version", version)
                    .put("id", id).put("schema", schemasById.get(id).toString()).put("deleted", true));
        }
        return deleted;
    }

    public synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    public synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    public synchronized void setLevel(String subjectOrNull, CompatibilityLevel level) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG").put("magic", 0);
        if (subjectOrNull == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subjectOrNull);
        }
        write(key, JSON.createObjectNode().put("compatibilityLevel", level.name()));
    }

    /** Problems registering the schema would meet against one version or (null) the subject's live versions. */
    public synchronized List<String> compatibilityProblems(String subject, Integer version, Schema schema) {
        List<Schema> against = version == null ? liveSchemas(live(subject))
                : List.of(schemasById.get(version(subject, version).getValue()));
        CompatibilityLevel level = level(subject);
        // Checking one named version is a non-transitive check whatever the level says.
        if (version != null && level.transitive()) {
            level = CompatibilityLevel.valueOf(level.name().replace("_TRANSITIVE", ""));
        }
        return CompatibilityChecker.incompatibilities(level, schema, against);
    }

    private CompatibilityLevel level(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }

    private List<Schema> liveSchemas(TreeMap<Integer, Version> versions) {
        List<Schema> list = new ArrayList<>();
        versions.values().stream().filter(v -> !v.deleted()).forEach(v -> list.add(schemasById.get(v.id())));
        return list;
    }

    private TreeMap<Integer, Version> live(String subject) {
        TreeMap<Integer, Version> versions = subjects.get(subject);
        if (versions == null || versions.values().stream().allMatch(Version::deleted)) {
            throw RegistryError.subjectNotFound(subject);
        }
        return versions;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
