package dev.digestflow.schema.registry;

/** A registered schema as the registry describes it: subject, version, global id and schema text. */
public record SchemaMetadata(String subject, int version, int id, String schema) {
}
