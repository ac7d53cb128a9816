package dev.digestflow.teststack;

import java.time.Duration;
import java.util.Optional;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.elasticsearch.ElasticsearchContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import dev.digestflow.localstack.LocalStack;

/**
 * The test stack on Docker: Apache Kafka, Confluent Schema Registry and Elasticsearch images at the
 * versions pinned in the parent POM (passed in as system properties by failsafe).
 */
final class ContainerTestStack implements TestStack {

    private final Network network = Network.newNetwork();
    private final KafkaContainer kafka;
    private final GenericContainer<?> registry;
    private final ElasticsearchContainer elasticsearch;

    ContainerTestStack() {
        kafka = new KafkaContainer(DockerImageName.parse(image("kafka", "apache/kafka:4.1.0")))
                .withNetwork(network)
                .withListener("kafka:19092");
        registry = new GenericContainer<>(DockerImageName.parse(image("schema-registry", "confluentinc/cp-schema-registry:8.0.0")))
                .withNetwork(network)
                .withExposedPorts(8081)
                .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:8081")
                .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
                .dependsOn(kafka)
                .waitingFor(Wait.forHttp("/subjects").forStatusCode(200).withStartupTimeout(Duration.ofMinutes(2)));
        elasticsearch = new ElasticsearchContainer(DockerImageName.parse(image("elasticsearch",
                "docker.elastic.co/elasticsearch/elasticsearch:8.19.4")))
                .withEnv("xpack.security.enabled", "false")
                .withEnv("discovery.type", "single-node")
                .withEnv("ES_JAVA_OPTS", "-Xms512m -Xmx512m");
        kafka.start();
        registry.start();
        elasticsearch.start();
    }

    private static String image(String name, String fallback) {
        return System.getProperty("digestflow.image." + name, fallback);
    }

    @Override
    public String bootstrapServers() {
        return kafka.getBootstrapServers();
    }

    @Override
    public String registryUrl() {
        return "http://" + registry.getHost() + ":" + registry.getMappedPort(8081);
    }

    @Override
    public String elasticsearchUrl() {
        return "http://" + elasticsearch.getHttpHostAddress();
    }

    @Override
    public String kind() {
        return "testcontainers";
    }

    @Override
    public Optional<LocalStack> localStack() {
        return Optional.empty();
    }

    @Override
    public void close() {
        elasticsearch.stop();
        registry.stop();
        kafka.stop();
        network.close();
    }
}
