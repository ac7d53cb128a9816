package dev.digestflow.teststack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import dev.digestflow.localstack.LocalStack;
import dev.digestflow.localstack.LocalStackConfig;

/** The test stack on this machine's own processes, on free ports and a temporary data directory. */
final class LocalTestStack implements TestStack {

    private final Path dataDir;
    private final LocalStack stack;

    LocalTestStack() throws IOException {
        this.dataDir = Files.createTempDirectory("digestflow-test-stack-");
        this.stack = LocalStack.start(LocalStackConfig.builder(dataDir).freePorts().build());
        System.out.println("[test-stack] " + stack.summary());
    }

    @Override
    public String bootstrapServers() {
        return stack.bootstrapServers();
    }

    @Override
    public String registryUrl() {
        return stack.registryUrl();
    }

    @Override
    public String elasticsearchUrl() {
        return stack.elasticsearchUrl();
    }

    @Override
    public String kind() {
        return "local-stack";
    }

    @Override
    public Optional<LocalStack> localStack() {
        return Optional.of(stack);
    }

    @Override
    public void close() {
        stack.close();
        // The data is throwaway: every test JVM starts from an empty stack.
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("[test-stack] could not delete " + dataDir + ": " + e);
        }
    }
}
