package dev.digestflow.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.digestflow.schema.registry.CompatibilityChecker;
import dev.digestflow.schema.registry.CompatibilityLevel;

/**
 * Every subject's current schema must stay BACKWARD compatible with each released version kept under
 * {@code history/<Record>/v<N>.avsc} (the registry's rule for every subject). When a schema changes,
 * add its new version there, so the next change is checked against it too.
 */
class SchemaHistoryTest {

    static List<Schema> currentSchemas() {
        return List.of(DigestItem.getClassSchema(), TaggedItem.getClassSchema(), FileEvent.getClassSchema());
    }

    @ParameterizedTest
    @MethodSource("currentSchemas")
    void currentSchemaReadsEveryReleasedVersion(Schema current) throws IOException {
        List<Schema> history = history(current.getName());
        assertThat(history).as("history/" + current.getName() + "/v1.avsc must exist").isNotEmpty();
        assertThat(CompatibilityChecker.incompatibilities(CompatibilityLevel.BACKWARD_TRANSITIVE, current, history)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("currentSchemas")
    void everyFieldHasADoc(Schema current) {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(current, undocumented, new ArrayList<>());
        assertThat(undocumented).isEmpty();
    }

    private static void collectUndocumented(Schema schema, List<String> undocumented, List<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (seen.contains(schema.getFullName())) {
                    return;
                }
                seen.add(schema.getFullName());
                if (schema.getDoc() == null || schema.getDoc().isBlank()) {
                    undocumented.add(schema.getFullName());
                }
                for (Schema.Field f : schema.getFields()) {
                    if (f.doc() == null || f.doc().isBlank()) {
                        undocumented.add(schema.getFullName() + "." + f.name());
                    }
                    collectUndocumented(f.schema(), undocumented, seen);
                }
            }
            case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, undocumented, seen));
            case ARRAY -> collectUndocumented(schema.getElementType(), undocumented, seen);
            case MAP -> collectUndocumented(schema.getValueType(), undocumented, seen);
            default -> { }
        }
    }

    private static List<Schema> history(String name) throws IOException {
        List<Schema> versions = new ArrayList<>();
        for (int v = 1; ; v++) {
            try (InputStream in = SchemaHistoryTest.class.getResourceAsStream("/history/" + name + "/v" + v + ".avsc")) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(in));
            }
        }
    }
}
