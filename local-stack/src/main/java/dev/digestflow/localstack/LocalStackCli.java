package dev.digestflow.localstack;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code local-stack}: runs the one-machine infrastructure in the foreground until Ctrl-C or
 * SIGTERM, which stop everything in order.
 */
@Command(name = "local-stack", mixinStandardHelpOptions = true,
        description = "Runs a real Kafka broker, the schema registry and an Elasticsearch node on this machine.")
public final class LocalStackCli implements Callable<Integer> {

    @Option(names = "--data-dir", defaultValue = "digestflow-home/data", description = "Kafka logs, registry topic, ES data and logs (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--kafka-port", defaultValue = "" + LocalStackConfig.DEFAULT_KAFKA_PORT, description = "Kafka bootstrap port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--kafka-controller-port", defaultValue = "" + LocalStackConfig.DEFAULT_KAFKA_CONTROLLER_PORT, description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
    int kafkaControllerPort;

    @Option(names = "--registry-port", defaultValue = "" + LocalStackConfig.DEFAULT_REGISTRY_PORT, description = "Schema registry port (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--es-port", defaultValue = "" + LocalStackConfig.DEFAULT_ELASTICSEARCH_PORT, description = "Elasticsearch HTTP port (default: ${DEFAULT-VALUE}).")
    int esPort;

    @Option(names = "--es-transport-port", defaultValue = "" + LocalStackConfig.DEFAULT_ELASTICSEARCH_TRANSPORT_PORT, description = "Elasticsearch transport port (default: ${DEFAULT-VALUE}).")
    int esTransportPort;

    @Option(names = "--es-heap-mb", defaultValue = "" + LocalStackConfig.DEFAULT_ELASTICSEARCH_HEAP_MB, description = "Elasticsearch heap in MB (default: ${DEFAULT-VALUE}).")
    int esHeapMb;

    @Option(names = "--kafka-heap-mb", defaultValue = "" + LocalStackConfig.DEFAULT_KAFKA_HEAP_MB, description = "Kafka heap in MB (default: ${DEFAULT-VALUE}).")
    int kafkaHeapMb;

    @Override
    public Integer call() throws InterruptedException {
        LocalStackConfig config = LocalStackConfig.builder(dataDir).kafkaPort(kafkaPort).kafkaControllerPort(kafkaControllerPort)
                .registryPort(registryPort).elasticsearchPort(esPort).elasticsearchTransportPort(esTransportPort)
                .elasticsearchHeapMb(esHeapMb).kafkaHeapMb(kafkaHeapMb).build();
        // The in-process parts (registry, this CLI) log to a file under the data directory too.
        System.setProperty("digestflow.log.dir", config.logDir().toString());
        System.setProperty("logback.configurationFile", "digestflow-cli-logback.xml");
        LocalStack stack;
        try {
            stack = LocalStack.start(config);
        } catch (RuntimeException e) {
            System.err.println("local stack failed to start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping local stack...");
            stack.close();
            System.out.println("local stack stopped");
            stopped.countDown();
        }, "local-stack-shutdown"));
        System.out.println(stack.summary());
        System.out.println("Ctrl-C stops everything.");
        System.out.flush();
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new LocalStackCli()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
