package dev.digestflow.schema.registry;

import java.util.List;
import java.util.Optional;

import org.apache.avro.Schema;

/**
 * The operations of the Confluent Schema Registry REST API that digestflow needs.
 *
 * <p>Implemented over HTTP by {@link RestSchemaRegistryClient} (works against Confluent's registry and
 * against the project's own), and in memory by {@link InMemorySchemaRegistryClient} for
 * {@code mock://} URLs in unit and topology tests, as Confluent's serde does.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /** Registers the schema under the subject (or finds it already there) and returns its global id. */
    int register(String subject, Schema schema);

    /** Looks up the id of a schema already registered under the subject; throws 40401/40403 when absent. */
    SchemaMetadata lookup(String subject, Schema schema);

    /** The schema with this global id; throws {@link SchemaRegistryException} with 40403 when unknown. */
    Schema getById(int id);

    /** The latest live version of the subject. */
    SchemaMetadata getLatest(String subject);

    /** One version of the subject. */
    SchemaMetadata getVersion(String subject, int version);

    /** Live subjects, sorted. */
    List<String> subjects();

    /** Live versions of the subject, ascending. */
    List<Integer> versions(String subject);

    /** Soft-deletes the subject; returns the versions deleted. */
    List<Integer> deleteSubject(String subject);

    /** The global compatibility level. */
    CompatibilityLevel getGlobalCompatibility();

    /** Sets the global compatibility level. */
    void setGlobalCompatibility(CompatibilityLevel level);

    /** The subject's own compatibility level, if one was set for it. */
    Optional<CompatibilityLevel> getSubjectCompatibility(String subject);

    /** Sets the subject's own compatibility level. */
    void setSubjectCompatibility(String subject, CompatibilityLevel level);

    /** Whether the schema could be registered as a new version of the subject ("latest" when version is null). */
    boolean testCompatibility(String subject, Integer version, Schema schema);

    @Override
    default void close() {
    }
}
