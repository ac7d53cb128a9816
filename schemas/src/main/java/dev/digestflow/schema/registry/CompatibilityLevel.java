package dev.digestflow.schema.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Confluent's compatibility levels, with their exact wire names. */
public enum CompatibilityLevel {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

    /** Whether a new schema is checked against every live version rather than only the latest. */
    public boolean transitive() {
        return name().endsWith("_TRANSITIVE");
    }

    /** Whether the new schema must be able to read data written with the existing ones. */
    public boolean checksBackward() {
        return name().startsWith("BACKWARD") || name().startsWith("FULL");
    }

    /** Whether the existing schemas must be able to read data written with the new one. */
    public boolean checksForward() {
        return name().startsWith("FORWARD") || name().startsWith("FULL");
    }

    /** Parses a level name case-insensitively; the message lists the valid names. */
    public static CompatibilityLevel parse(String name) {
        if (name != null) {
            for (CompatibilityLevel level : values()) {
                if (level.name().equals(name.trim().toUpperCase(Locale.ROOT))) {
                    return level;
                }
            }
        }
        throw new IllegalArgumentException("Invalid compatibility level '" + name + "'; valid levels are "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
