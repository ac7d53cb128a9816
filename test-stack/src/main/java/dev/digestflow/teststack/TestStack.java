package dev.digestflow.teststack;

import java.util.Optional;

import dev.digestflow.localstack.LocalStack;

/**
 * What an integration test needs from the infrastructure: where Kafka, the registry and
 * Elasticsearch answer. Backed by Testcontainers where Docker exists, by {@link LocalStack} otherwise;
 * the same IT classes run on both.
 */
public interface TestStack extends AutoCloseable {

    String bootstrapServers();

    String registryUrl();

    String elasticsearchUrl();

    /** Which implementation runs: "local-stack" or "testcontainers". */
    String kind();

    /** The local stack, for tests that control its processes (fault injection); empty on containers. */
    Optional<LocalStack> localStack();

    @Override
    void close();
}
