package dev.digestflow.schema.registry;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Confluent's compatibility rules expressed with Avro's own {@link SchemaCompatibility}: BACKWARD means
 * the new schema reads data written with the old, FORWARD the reverse, FULL both; non-transitive
 * levels check the latest version only.
 */
public final class CompatibilityChecker {

    private CompatibilityChecker() {
    }

    /**
     * Returns why the candidate cannot be registered under the level, or an empty list when it can.
     *
     * @param existing the subject's live schemas, oldest first
     */
    public static List<String> incompatibilities(CompatibilityLevel level, Schema candidate, List<Schema> existing) {
        List<String> problems = new ArrayList<>();
        if (level == CompatibilityLevel.NONE || existing.isEmpty()) {
            return problems;
        }
        List<Schema> against = level.transitive() ? existing : List.of(existing.get(existing.size() - 1));
        for (Schema old : against) {
            if (level.checksBackward()) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, old), "new schema cannot read data written with an existing one", problems);
            }
            if (level.checksForward()) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(old, candidate), "an existing schema cannot read data written with the new one", problems);
            }
        }
        return problems;
    }

    private static void describe(SchemaPairCompatibility result, String direction, List<String> problems) {
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return;
        }
        result.getResult().getIncompatibilities().forEach(i -> problems.add(direction + ": " + i.getType() + " at "
                + i.getLocation() + " (" + i.getMessage() + ")"));
    }
}
