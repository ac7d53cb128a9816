package dev.digestflow.teststack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.digestflow.localstack.registry.RegistryServer;
import dev.digestflow.localstack.registry.SchemaStore;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.SourceRef;
import dev.digestflow.schema.id.ItemIds;
import dev.digestflow.schema.registry.CompatibilityLevel;
import dev.digestflow.schema.registry.RestSchemaRegistryClient;
import dev.digestflow.schema.registry.SchemaRegistryException;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import dev.digestflow.schema.serde.ConfluentAvroSerde;

/**
 * The registry server against a real Kafka broker, driven both by the project's REST client and by
 * plain HTTP requests that check Confluent's status codes, error codes, bodies and media type.
 * Each test class gets its own store topic, so a "restart" here is a new server on the same topic.
 */
@ExtendWith(TestStackExtension.class)
class RegistryServerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String bootstrap;
    private static String storeTopic;
    private static SchemaStore store;
    private static RegistryServer server;
    private static RestSchemaRegistryClient client;

    private static final Schema V1 = record("{\"name\":\"a\",\"type\":\"string\"}");
    private static final Schema V2_B_DEFAULT = record("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"x\"}");
    private static final Schema V3_B_REQUIRED = record("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"string\"}");

    @BeforeAll
    static void startServer(TestStack stack, TestNames names) throws Exception {
        bootstrap = stack.bootstrapServers();
        storeTopic = names.topic("_schemas");
        store = new SchemaStore(bootstrap, storeTopic);
        server = new RegistryServer(store, 0);
        server.start();
        client = RestSchemaRegistryClient.forUrl(server.url());
    }

    @AfterAll
    static void stopServer() {
        server.close();
        store.close();
    }

    private static Schema record(String fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"t\",\"fields\":[" + fields + "]}");
    }

    private static HttpResponse<String> http(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", RegistryServer.MEDIA_TYPE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String schemaBody(Schema schema) throws Exception {
        return JSON.writeValueAsString(Map.of("schema", schema.toString()));
    }

    private static void assertError(HttpResponse<String> response, int status, int errorCode) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(RegistryServer.MEDIA_TYPE);
        JsonNode json = JSON.readTree(response.body());
        assertThat(json.get("error_code").asInt()).isEqualTo(errorCode);
        assertThat(json.get("message").asText()).isNotBlank();
    }

    @Test
    void registersLooksUpAndFetchesThroughTheClient() {
        int id = client.register("client-value", V1);
        assertThat(client.register("client-value", V1)).as("identical schema, same id").isEqualTo(id);
        assertThat(client.register("other-subject-value", V1)).as("same schema elsewhere, same global id").isEqualTo(id);
        assertThat(client.getById(id)).isEqualTo(V1);
        assertThat(client.lookup("client-value", V1).version()).isEqualTo(1);
        int id2 = client.register("client-value", V2_B_DEFAULT);
        assertThat(id2).isNotEqualTo(id);
        assertThat(client.versions("client-value")).containsExactly(1, 2);
        assertThat(client.getLatest("client-value").id()).isEqualTo(id2);
        assertThat(client.getVersion("client-value", 1).id()).isEqualTo(id);
        assertThat(client.subjects()).contains("client-value", "other-subject-value");
        assertThat(client.testCompatibility("client-value", null, V3_B_REQUIRED)).isTrue();
        assertThat(client.deleteSubject("other-subject-value")).containsExactly(1);
        assertThat(client.subjects()).doesNotContain("other-subject-value");
    }

    @Test
    void answersConfluentStatusCodesAndBodies() throws Exception {
        HttpResponse<String> created = http("POST", "/subjects/plain-value/versions", schemaBody(V1));
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("Content-Type")).hasValue(RegistryServer.MEDIA_TYPE);
        int id = JSON.readTree(created.body()).get("id").asInt();

        JsonNode byId = JSON.readTree(http("GET", "/schemas/ids/" + id, null).body());
        assertThat(new Schema.Parser().parse(byId.get("schema").asText())).isEqualTo(V1);
        assertThat(new Schema.Parser().parse(http("GET", "/schemas/ids/" + id + "/schema", null).body())).isEqualTo(V1);
        JsonNode version = JSON.readTree(http("GET", "/subjects/plain-value/versions/latest", null).body());
        assertThat(version.get("subject").asText()).isEqualTo("plain-value");
        assertThat(version.get("version").asInt()).isEqualTo(1);
        assertThat(version.get("id").asInt()).isEqualTo(id);
        assertThat(new Schema.Parser().parse(http("GET", "/subjects/plain-value/versions/1/schema", null).body())).isEqualTo(V1);
        JsonNode lookup = JSON.readTree(http("POST", "/subjects/plain-value", schemaBody(V1)).body());
        assertThat(lookup.get("id").asInt()).isEqualTo(id);
        assertThat(JSON.readTree(http("GET", "/subjects/plain-value/versions", null).body()).toString()).isEqualTo("[1]");
        assertThat(JSON.readTree(http("GET", "/subjects", null).body()).isArray()).isTrue();

        assertError(http("POST", "/subjects/plain-value/versions", "{\"schema\":\"{not avro\"}"), 422, 42201);
        assertError(http("POST", "/subjects/plain-value/versions", "{\"schema\":\"{\\\"type\\\":\\\"nope\\\"}\"}"), 422, 42201);
        assertError(http("POST", "/subjects/plain-value/versions", "{\"schemaType\":\"PROTOBUF\",\"schema\":\"x\"}"), 422, 42201);
        assertError(http("GET", "/schemas/ids/99999", null), 404, 40403);
        assertError(http("GET", "/subjects/no-such-subject/versions", null), 404, 40401);
        assertError(http("GET", "/subjects/plain-value/versions/99", null), 404, 40402);
        assertError(http("GET", "/subjects/plain-value/versions/abc", null), 422, 42202);
        assertError(http("POST", "/subjects/plain-value", schemaBody(V3_B_REQUIRED)), 404, 40403);
        assertError(http("POST", "/subjects/no-such-subject", schemaBody(V1)), 404, 40401);
        assertError(http("PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}"), 422, 42203);
        assertError(http("GET", "/config/plain-value", null), 404, 40408);
        assertError(http("POST", "/subjects/plain-value/versions", "not json"), 400, 400);
        assertError(http("GET", "/no/such/path", null), 404, 404);

        // An incompatible change: a new required field cannot read old data (BACKWARD, the default).
        http("POST", "/subjects/plain-incompatible-value/versions", schemaBody(V1));
        assertError(http("POST", "/subjects/plain-incompatible-value/versions",
                schemaBody(record("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"c\",\"type\":\"int\"}"))), 409, 409);
        JsonNode check = JSON.readTree(http("POST", "/compatibility/subjects/plain-incompatible-value/versions/latest?verbose=true",
                schemaBody(record("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"c\",\"type\":\"int\"}"))).body());
        assertThat(check.get("is_compatible").asBoolean()).isFalse();
        assertThat(check.get("messages").toString()).contains("c");

        assertThat(JSON.readTree(http("PUT", "/config/plain-value", "{\"compatibility\":\"full\"}").body()).get("compatibility").asText())
                .isEqualTo("FULL");
        assertThat(JSON.readTree(http("GET", "/config/plain-value", null).body()).get("compatibilityLevel").asText()).isEqualTo("FULL");
        assertThat(JSON.readTree(http("GET", "/config", null).body()).get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        JsonNode deleted = JSON.readTree(http("DELETE", "/subjects/plain-incompatible-value", null).body());
        assertThat(deleted.toString()).isEqualTo("[1]");
        assertError(http("GET", "/subjects/plain-incompatible-value/versions", null), 404, 40401);
    }

    /** Hostile requests get Confluent's 4xx answers, never a 5xx that clients would retry. */
    @Test
    void anInvalidDefaultIs422AndAnOversizedBodyIs413() throws Exception {
        String badDefault = JSON.writeValueAsString(Map.of("schema",
                "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"n\",\"type\":\"int\",\"default\":\"x\"}]}"));
        assertError(http("POST", "/subjects/hostile-default-value/versions", badDefault), 422, 42201);
        // Just over the 4 MiB limit: the server reads up to it, answers, and drains the small rest, so the client sees the answer.
        String huge = "{\"schema\":\"" + "x".repeat(4 * 1024 * 1024) + "\"}";
        assertError(http("POST", "/subjects/hostile-huge/versions", huge), 413, 413);
    }

    /**
     * Clients that send half a request and stall (slowloris) are cut off after the request time limit
     * (5 s in this module's test JVM, 30 s by default), so they cannot hold the server's four threads:
     * a well-behaved client is still answered.
     */
    @Test
    void clientsThatStallMidRequestAreCutOffAndCannotStopTheRegistry() {
        assertThat(System.getProperty("sun.net.httpserver.maxReqTime")).as("set by the registry or this module's failsafe settings").isNotNull();
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            List<java.net.Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    java.net.Socket s = new java.net.Socket("127.0.0.1", server.port());
                    s.getOutputStream().write(("POST /subjects/stalled-value/versions HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"sch")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                    stalled.add(s);
                }
                HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/subjects")).timeout(Duration.ofSeconds(90)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                for (java.net.Socket s : stalled) {
                    s.setSoTimeout(60_000);
                    // The server closed the connection (no answer is owed to half a request): an end of stream or a reset.
                    try {
                        assertThat(s.getInputStream().read()).isEqualTo(-1);
                    } catch (java.net.SocketException reset) {
                        assertThat(reset.getMessage()).contains("reset");
                    }
                }
            } finally {
                for (java.net.Socket s : stalled) {
                    s.close();
                }
            }
        });
    }

    @Test
    void enforcesEveryCompatibilityLevel() {
        // BACKWARD vs BACKWARD_TRANSITIVE: v3 reads v2 data, but not v1 data (b has no default).
        client.setSubjectCompatibility("bt-value", CompatibilityLevel.BACKWARD_TRANSITIVE);
        client.register("bt-value", V1);
        client.register("bt-value", V2_B_DEFAULT);
        assertThatThrownBy(() -> client.register("bt-value", V3_B_REQUIRED))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(409));
        client.setSubjectCompatibility("b-value", CompatibilityLevel.BACKWARD);
        client.register("b-value", V1);
        client.register("b-value", V2_B_DEFAULT);
        client.register("b-value", V3_B_REQUIRED);

        // FORWARD: old readers must read new data; dropping a field old readers need is refused.
        client.setSubjectCompatibility("f-value", CompatibilityLevel.FORWARD);
        client.register("f-value", V3_B_REQUIRED);
        assertThatThrownBy(() -> client.register("f-value", V1)).isInstanceOf(SchemaRegistryException.class);
        client.register("f-value", record("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"string\"},{\"name\":\"c\",\"type\":\"int\"}"));

        // FULL: both ways; adding a field with a default is fine, adding a required one is not.
        client.setSubjectCompatibility("full-value", CompatibilityLevel.FULL);
        client.register("full-value", V1);
        assertThatThrownBy(() -> client.register("full-value", V3_B_REQUIRED)).isInstanceOf(SchemaRegistryException.class);
        client.register("full-value", V2_B_DEFAULT);

        // FORWARD_TRANSITIVE and FULL_TRANSITIVE check against all versions.
        client.setSubjectCompatibility("ft-value", CompatibilityLevel.FORWARD_TRANSITIVE);
        client.register("ft-value", V3_B_REQUIRED);
        client.register("ft-value", record("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"string\"},{\"name\":\"c\",\"type\":\"int\",\"default\":0}"));
        assertThatThrownBy(() -> client.register("ft-value", record("{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"c\",\"type\":\"int\",\"default\":0}")))
                .isInstanceOf(SchemaRegistryException.class);
        client.setSubjectCompatibility("fullt-value", CompatibilityLevel.FULL_TRANSITIVE);
        client.register("fullt-value", V1);
        client.register("fullt-value", V2_B_DEFAULT);
        assertThatThrownBy(() -> client.register("fullt-value", V3_B_REQUIRED)).isInstanceOf(SchemaRegistryException.class);

        // NONE: anything goes.
        client.setSubjectCompatibility("none-value", CompatibilityLevel.NONE);
        client.register("none-value", V1);
        client.register("none-value", record("{\"name\":\"z\",\"type\":\"int\"}"));
        assertThat(client.versions("none-value")).containsExactly(1, 2);
        assertThat(client.getSubjectCompatibility("none-value")).contains(CompatibilityLevel.NONE);
    }

    @Test
    void serdeRoundTripsThroughTheRealRegistry() {
        DigestItem item = DigestItem.newBuilder()
                .setItemId(ItemIds.of("Agents that plan"))
                .setTitle("Agents that plan")
                .setAuthors(List.of("A. Author"))
                .setSource(SourceRef.newBuilder().setFile("f.txt").setSha256("00").setFormat("blog-listing").setOrdinal(0).setLine(1).build())
                .setIngestedAt(java.time.Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
        try (ConfluentAvroSerde<DigestItem> serde = ConfluentAvroSerde.forValues(DigestItem.class,
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, server.url()))) {
            byte[] bytes = serde.serializer().serialize("serde.topic", item);
            assertThat(bytes[0]).isZero();
            assertThat(serde.deserializer().deserialize("serde.topic", bytes)).isEqualTo(item);
        }
        assertThat(client.getLatest("serde.topic-value").schema()).contains("DigestItem");
    }

    @Test
    void idsVersionsAndConfigSurviveARestart(TestNames names) throws Exception {
        String topic = names.topic("_schemas-durable");
        int id1;
        int id2;
        try (SchemaStore firstStore = new SchemaStore(bootstrap, topic);
                RegistryServer first = new RegistryServer(firstStore, 0)) {
            first.start();
            RestSchemaRegistryClient before = RestSchemaRegistryClient.forUrl(first.url());
            id1 = before.register("durable-value", V1);
            id2 = before.register("durable-value", V2_B_DEFAULT);
            before.setSubjectCompatibility("durable-value", CompatibilityLevel.FULL);
            before.setGlobalCompatibility(CompatibilityLevel.FORWARD);
        }
        try (SchemaStore restartedStore = new SchemaStore(bootstrap, topic);
                RegistryServer restarted = new RegistryServer(restartedStore, 0)) {
            restarted.start();
            RestSchemaRegistryClient after = RestSchemaRegistryClient.forUrl(restarted.url());
            assertThat(after.getVersion("durable-value", 1).id()).isEqualTo(id1);
            assertThat(after.getVersion("durable-value", 2).id()).isEqualTo(id2);
            assertThat(after.getById(id2)).isEqualTo(V2_B_DEFAULT);
            assertThat(after.getSubjectCompatibility("durable-value")).contains(CompatibilityLevel.FULL);
            assertThat(after.getGlobalCompatibility()).isEqualTo(CompatibilityLevel.FORWARD);
            // A new schema after the restart gets a fresh id, never a reused one.
            int id3 = after.register("durable-other-value", record("{\"name\":\"q\",\"type\":\"long\"}"));
            assertThat(id3).isGreaterThan(Math.max(id1, id2));
        }
    }
}
