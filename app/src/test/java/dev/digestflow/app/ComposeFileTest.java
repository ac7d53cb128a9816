package dev.digestflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so its structure is checked instead:
 * every long-running service has a healthcheck, every dependency waits for a healthy service, the
 * infrastructure images are the ones the Testcontainers tests pin, and the inbox is a bind mount.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void servicesAreHealthCheckedAndStartInDependencyOrder() throws Exception {
        JsonNode services = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile()).get("services");
        assertThat(services.has("kafka") && services.has("schema-registry") && services.has("elasticsearch") && services.has("kibana")
                && services.has("kibana-setup") && services.has("ingest-producer") && services.has("enrich-streams") && services.has("index-sink")).isTrue();
        for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> s = it.next();
            assertThat(s.getValue().has("image") || s.getValue().has("build")).as(s.getKey() + " has an image or a build").isTrue();
            if (!s.getKey().equals("kibana-setup")) {
                assertThat(s.getValue().path("healthcheck").has("test")).as(s.getKey() + " has a healthcheck").isTrue();
            }
            for (Iterator<Map.Entry<String, JsonNode>> deps = s.getValue().path("depends_on").fields(); deps.hasNext();) {
                Map.Entry<String, JsonNode> dep = deps.next();
                assertThat(dep.getValue().get("condition").asText()).as(s.getKey() + " waits for " + dep.getKey()).isEqualTo("service_healthy");
                assertThat(services.get(dep.getKey()).path("healthcheck").has("test")).as(dep.getKey() + " can become healthy").isTrue();
            }
        }
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        assertThat(pom).contains("<image.kafka>apache/kafka:${kafka.version}</image.kafka>")
                .contains("<image.elasticsearch>docker.elastic.co/elasticsearch/elasticsearch:${elasticsearch.server.version}</image.elasticsearch>");
        assertThat(services.get("kafka").get("image").asText()).as("compose, Testcontainers and the local stack run one Kafka release")
                .isEqualTo("apache/kafka:" + pomProperty(pom, "kafka.version"));
        assertThat(services.get("elasticsearch").get("image").asText()).as("compose, Testcontainers and the local stack run one ES release")
                .isEqualTo("docker.elastic.co/elasticsearch/elasticsearch:" + pomProperty(pom, "elasticsearch.server.version"));
        assertThat(services.get("kibana").get("image").asText()).as("Kibana matches Elasticsearch")
                .isEqualTo("docker.elastic.co/kibana/kibana:" + pomProperty(pom, "elasticsearch.server.version"));
        assertThat(pom).as("the pom pins the registry image").contains(services.get("schema-registry").get("image").asText());
        assertThat(services.get("ingest-producer").get("volumes").toString()).contains("./digestflow-home/inbox:/data/inbox");
        assertThat(services.get("kibana-setup").get("volumes").toString()).contains("./dashboards:/dashboards");
        assertThat(services.get("index-sink").get("build").get("args").get("MAIN").asText()).isEqualTo("dev.digestflow.sink.IndexSinkMain");
        assertThat(ROOT.resolve("docker/Dockerfile")).exists();
    }

    private static JsonNode services() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("docker-compose.yml").toFile()).get("services");
    }

    private static String pomProperty(String pom, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<" + java.util.regex.Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        assertThat(m.find()).as("pom property " + name).isTrue();
        return m.group(1);
    }

    /** Each folder a service writes (DIGESTFLOW_*_DIR) lies on one of its volumes, so nothing is lost with the container. */
    @Test
    void everyFolderAServiceWritesIsOnAVolume() throws Exception {
        JsonNode services = services();
        for (String name : new String[] {"ingest-producer", "enrich-streams", "index-sink"}) {
            JsonNode service = services.get(name);
            java.util.List<String> targets = new java.util.ArrayList<>();
            service.path("volumes").forEach(v -> targets.add(v.asText().split(":")[1]));
            for (Iterator<Map.Entry<String, JsonNode>> env = service.path("environment").fields(); env.hasNext();) {
                Map.Entry<String, JsonNode> e = env.next();
                if (e.getKey().endsWith("_DIR")) {
                    String folder = e.getValue().asText();
                    assertThat(targets).as(name + " " + e.getKey() + "=" + folder + " is on a volume").anyMatch(t -> folder.equals(t) || folder.startsWith(t + "/"));
                    assertThat(folder).as("under /data, which the image creates and gives to the service user").startsWith("/data/");
                }
            }
        }
        assertThat(services.get("enrich-streams").path("environment").has("DIGESTFLOW_STATE_DIR")).isTrue();
        assertThat(services.get("ingest-producer").path("environment").has("DIGESTFLOW_STATE_DIR")).isTrue();
    }

    /** Without KAFKA_LOG_DIRS the image writes to /tmp/kafka-logs, off the volume: down then up lost every topic and _schemas. */
    @Test
    void kafkaKeepsItsDataOnItsVolumeWithAFixedClusterId() throws Exception {
        JsonNode kafka = services().get("kafka");
        JsonNode env = kafka.get("environment");
        String logDirs = env.path("KAFKA_LOG_DIRS").asText();
        java.util.List<String> targets = new java.util.ArrayList<>();
        kafka.path("volumes").forEach(v -> targets.add(v.asText().split(":")[1]));
        assertThat(logDirs).isNotBlank();
        assertThat(targets).anyMatch(t -> logDirs.equals(t) || logDirs.startsWith(t + "/"));
        assertThat(env.path("CLUSTER_ID").asText()).hasSize(22);
        assertThat(env.path("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR").asInt()).isEqualTo(1);
        assertThat(env.path("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR").asInt()).isEqualTo(1);
        assertThat(kafka.path("healthcheck").path("timeout").asText()).as("a JVM-based check needs more than 5 s").isNotEqualTo("5s");
    }

    /** The image creates every folder the services write and gives it to a fixed uid; it builds with the script CI runs. */
    @Test
    void theImageOwnsItsFoldersWithAFixedUidAndBuildsWithTheScriptCiRuns() throws Exception {
        String dockerfile = Files.readString(ROOT.resolve("docker/Dockerfile"));
        assertThat(dockerfile).contains("ARG UID=1000").contains("mkdir -p /data/inbox /data/processed /data/failed /data/state")
                .contains("chown -R \"${UID}:${UID}\" /data").contains("USER ${UID}:${UID}").contains("docker/build-service.sh");
        String build = Files.readString(ROOT.resolve("docker/build-service.sh"));
        assertThat(build).contains("-pl \"$MODULE\" -am package dependency:copy-dependencies").contains("-DincludeScope=runtime");
        assertThat(Files.readString(ROOT.resolve(".ci/run"))).contains("docker/smoke-test-service-builds.sh");
    }

    /** _import answers 200 with "success":false when objects fail; Kibana's status lists plugins' levels beside the overall one. */
    @Test
    void kibanaIsHealthyOnItsOverallStatusAndTheImportChecksItsAnswer() throws Exception {
        JsonNode services = services();
        assertThat(services.get("kibana").get("healthcheck").get("test").toString()).contains("overall");
        String setup = services.get("kibana-setup").get("entrypoint").toString();
        assertThat(setup).contains("\\\"success\\\":true").contains("exit 1");
    }

    /** compose and ./digestflow up publish the same host ports: the README says to stop one first. */
    @Test
    void portsSharedWithUpAreDocumented() throws Exception {
        JsonNode services = services();
        java.util.Set<String> published = new java.util.TreeSet<>();
        services.fields().forEachRemaining(s -> s.getValue().path("ports").forEach(p -> published.add(p.asText().split(":")[0])));
        java.util.Set<String> upDefaults = java.util.Set.of("9092", "8081", "9200", "8091", "8092", "8093");
        if (published.stream().anyMatch(upDefaults::contains)) {
            assertThat(Files.readString(ROOT.resolve("README.md"))).contains("stop one before starting the other");
        }
    }
}
