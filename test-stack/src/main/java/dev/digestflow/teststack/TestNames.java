package dev.digestflow.teststack;

import java.util.Locale;
import java.util.UUID;

/**
 * Topic, index and group names private to one test class, so classes sharing the stack never see
 * each other's data.
 */
public final class TestNames {

    private final String prefix;

    TestNames(Class<?> testClass) {
        this.prefix = testClass.getSimpleName().toLowerCase(Locale.ROOT) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A topic name unique to this test class, e.g. {@code myit-1a2b3c4d.digest.items.raw}. */
    public String topic(String base) {
        return prefix + "." + base;
    }

    /** An Elasticsearch index or alias name unique to this test class (lower case, as ES requires). */
    public String index(String base) {
        return (prefix + "-" + base).toLowerCase(Locale.ROOT);
    }

    /** A consumer group id unique to this test class. */
    public String group(String base) {
        return prefix + "-" + base;
    }
}
