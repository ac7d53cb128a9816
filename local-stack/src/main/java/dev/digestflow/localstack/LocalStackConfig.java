package dev.digestflow.localstack;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the one-machine stack, with the contract ports as defaults. Built with {@link #builder},
 * checked by {@link #validate()}: every rule that spans several settings lives there.
 */
public record LocalStackConfig(Path dataDir, int kafkaPort, int kafkaControllerPort, int registryPort,
        int elasticsearchPort, int elasticsearchTransportPort, int kafkaHeapMb, int elasticsearchHeapMb,
        Duration startTimeout) {

    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_KAFKA_CONTROLLER_PORT = 9093;
    public static final int DEFAULT_REGISTRY_PORT = 8081;
    public static final int DEFAULT_ELASTICSEARCH_PORT = 9200;
    public static final int DEFAULT_ELASTICSEARCH_TRANSPORT_PORT = 9300;
    public static final int DEFAULT_KAFKA_HEAP_MB = 512;
    public static final int DEFAULT_ELASTICSEARCH_HEAP_MB = 512;
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);

    public LocalStackConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** The ports by the option that sets each, in start order; used for the "port in use" message. */
    public Map<String, Integer> portsByOption() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("--kafka-port", kafkaPort);
        ports.put("--kafka-controller-port", kafkaControllerPort);
        ports.put("--registry-port", registryPort);
        ports.put("--es-port", elasticsearchPort);
        ports.put("--es-transport-port", elasticsearchTransportPort);
        return ports;
    }

    /** Rules that span settings: distinct ports in range, sane heaps. */
    public void validate() {
        Map<Integer, String> seen = new LinkedHashMap<>();
        portsByOption().forEach((option, port) -> {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(option + " " + port + " is not a valid port (1-65535)");
            }
            String clash = seen.putIfAbsent(port, option);
            if (clash != null) {
                throw new IllegalArgumentException(option + " and " + clash + " are both " + port + "; each component needs its own port");
            }
        });
        if (kafkaHeapMb < 128 || elasticsearchHeapMb < 256) {
            throw new IllegalArgumentException("heap too small: Kafka needs at least 128 MB (--kafka-heap-mb), Elasticsearch 256 MB (--es-heap-mb)");
        }
    }

    public Path kafkaDir() {
        return dataDir.resolve("kafka");
    }

    public Path elasticsearchDir() {
        return dataDir.resolve("elasticsearch");
    }

    public Path logDir() {
        return dataDir.resolve("logs");
    }

    public static final class Builder {
        private final Path dataDir;
        private int kafkaPort = DEFAULT_KAFKA_PORT;
        private int kafkaControllerPort = DEFAULT_KAFKA_CONTROLLER_PORT;
        private int registryPort = DEFAULT_REGISTRY_PORT;
        private int elasticsearchPort = DEFAULT_ELASTICSEARCH_PORT;
        private int elasticsearchTransportPort = DEFAULT_ELASTICSEARCH_TRANSPORT_PORT;
        private int kafkaHeapMb = DEFAULT_KAFKA_HEAP_MB;
        private int elasticsearchHeapMb = DEFAULT_ELASTICSEARCH_HEAP_MB;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder kafkaPort(int port) {
            this.kafkaPort = port;
            return this;
        }

        public Builder kafkaControllerPort(int port) {
            this.kafkaControllerPort = port;
            return this;
        }

        public Builder registryPort(int port) {
            this.registryPort = port;
            return this;
        }

        public Builder elasticsearchPort(int port) {
            this.elasticsearchPort = port;
            return this;
        }

        public Builder elasticsearchTransportPort(int port) {
            this.elasticsearchTransportPort = port;
            return this;
        }

        public Builder kafkaHeapMb(int mb) {
            this.kafkaHeapMb = mb;
            return this;
        }

        public Builder elasticsearchHeapMb(int mb) {
            this.elasticsearchHeapMb = mb;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        /**
         * Picks free ephemeral ports for every component: tests must not take the contract ports. All
         * sockets stay bound until every port is chosen, so the OS cannot hand out one port twice.
         */
        public Builder freePorts() {
            java.util.List<ServerSocket> held = new java.util.ArrayList<>();
            try {
                int[] ports = new int[5];
                for (int i = 0; i < ports.length; i++) {
                    ServerSocket socket = new ServerSocket(0);
                    held.add(socket);
                    ports[i] = socket.getLocalPort();
                }
                kafkaPort = ports[0];
                kafkaControllerPort = ports[1];
                registryPort = ports[2];
                elasticsearchPort = ports[3];
                elasticsearchTransportPort = ports[4];
                return this;
            } catch (IOException e) {
                throw new IllegalStateException("no free port on this machine", e);
            } finally {
                for (ServerSocket socket : held) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // Closing a listening socket we own does not fail in practice.
                    }
                }
            }
        }

        public LocalStackConfig build() {
            LocalStackConfig config = new LocalStackConfig(dataDir, kafkaPort, kafkaControllerPort, registryPort,
                    elasticsearchPort, elasticsearchTransportPort, kafkaHeapMb, elasticsearchHeapMb, startTimeout);
            config.validate();
            return config;
        }
    }
}
