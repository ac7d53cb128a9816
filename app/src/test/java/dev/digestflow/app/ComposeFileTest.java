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
        for (String service : new String[] {"kafka", "schema-registry", "elasticsearch"}) {
            assertThat(pom).as("the pom pins the image of " + service).contains(services.get(service).get("image").asText());
        }
        assertThat(services.get("ingest-producer").get("volumes").toString()).contains("./digestflow-home/inbox:/data/inbox");
        assertThat(services.get("kibana-setup").get("volumes").toString()).contains("./dashboards:/dashboards");
        assertThat(services.get("index-sink").get("build").get("args").get("MAIN").asText()).isEqualTo("dev.digestflow.sink.IndexSinkMain");
        assertThat(ROOT.resolve("docker/Dockerfile")).exists();
    }
}
