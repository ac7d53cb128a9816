package dev.digestflow.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.registry.InMemorySchemaRegistryClient;

/**
 * The deserializer's two kinds of failure, against a registry over real HTTP: an answer about the
 * record (404 unknown id) is poison, and a registry that cannot answer (refused, 5xx, 429) is
 * retryable, and a later call succeeds once it answers again.
 */
class RegistryOutageClassificationTest {

    private final String scope = "outage-test-" + UUID.randomUUID();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<String> schemaJson = new AtomicReference<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        InMemorySchemaRegistryClient.dropScope(scope);
        if (server != null) {
            server.stop(0);
        }
    }

    /** A registry that answers GET /schemas/ids/N with the schema, or with the status set by the test. */
    private String startRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            int code = status.get();
            byte[] body = code == 200
                    ? new ObjectMapper().writeValueAsBytes(Map.of("schema", schemaJson.get()))
                    : ("{\"error_code\":" + (code == 404 ? 40403 : code) + ",\"message\":\"scripted " + code + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private byte[] recordBytes() {
        ConfluentAvroSerde<DigestItem> serde = ConfluentAvroSerde.forValues(DigestItem.class,
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope));
        schemaJson.set(DigestItem.getClassSchema().toString());
        return serde.serializer().serialize("t", ConfluentAvroSerdeTest.item("outage"));
    }

    private ConfluentAvroDeserializer<DigestItem> deserializer(String url) {
        ConfluentAvroDeserializer<DigestItem> d = new ConfluentAvroDeserializer<>(DigestItem.class);
        d.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url, AvroSerdeConfig.MAX_RETRIES, 1,
                AvroSerdeConfig.RETRY_BACKOFF_MS, 1L, AvroSerdeConfig.RETRY_BACKOFF_MAX_MS, 2L), false);
        return d;
    }

    @Test
    void fiveHundredsAndTooManyRequestsAreRetryableAndALaterCallSucceeds() throws Exception {
        byte[] bytes = recordBytes();
        ConfluentAvroDeserializer<DigestItem> d = deserializer(startRegistry());
        for (int code : List.of(500, 502, 503, 429, 408)) {
            status.set(code);
            assertThatThrownBy(() -> d.deserialize("t", bytes)).as("status %d", code)
                    .isInstanceOf(SchemaRegistryUnavailableException.class).hasMessageContaining("kept and retried");
        }
        status.set(200);
        assertThat(d.deserialize("t", bytes).getTitle()).isEqualTo("outage");
    }

    @Test
    void anUnknownIdIsPoisonNotAnOutage() throws Exception {
        byte[] bytes = recordBytes();
        ConfluentAvroDeserializer<DigestItem> d = deserializer(startRegistry());
        status.set(404);
        assertThatThrownBy(() -> d.deserialize("t", bytes)).isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("unknown schema id");
        status.set(422);
        assertThatThrownBy(() -> d.deserialize("t", bytes)).isInstanceOf(UndecodableRecordException.class);
    }

    @Test
    void refusedCredentialsHoldTheRecordInsteadOfDeadLetteringEveryRecord() throws Exception {
        byte[] bytes = recordBytes();
        ConfluentAvroDeserializer<DigestItem> d = deserializer(startRegistry());
        for (int code : List.of(401, 403)) {
            status.set(code);
            assertThatThrownBy(() -> d.deserialize("t", bytes)).as("status %d", code)
                    .isInstanceOf(SchemaRegistryUnavailableException.class).hasMessageContaining("refused this service's credentials");
        }
    }

    @Test
    void aRefusedConnectionIsRetryable() throws Exception {
        byte[] bytes = recordBytes();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ConfluentAvroDeserializer<DigestItem> d = deserializer("http://127.0.0.1:" + closedPort);
        assertThatThrownBy(() -> d.deserialize("t", bytes)).isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageContaining("unreachable");
    }

    @Test
    void theSerializerSaysTheSame() throws Exception {
        String url = startRegistry();
        status.set(503);
        ConfluentAvroSerializer<DigestItem> s = new ConfluentAvroSerializer<>();
        s.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url, AvroSerdeConfig.MAX_RETRIES, 0), false);
        DigestItem item = ConfluentAvroSerdeTest.item("outage");
        assertThatThrownBy(() -> s.serialize("t", item)).isInstanceOf(SchemaRegistryUnavailableException.class);
        status.set(401);
        assertThatThrownBy(() -> s.serialize("t", item)).as("refused credentials: held, as when reading")
                .isInstanceOf(SchemaRegistryUnavailableException.class).hasMessageContaining("refused this service's credentials");
        status.set(422);
        assertThatThrownBy(() -> s.serialize("t", item)).isInstanceOf(SerializationException.class)
                .isNotInstanceOf(SchemaRegistryUnavailableException.class);
    }

    @Test
    void foundThroughTheWrappersStreamsAdds() {
        var cause = new SchemaRegistryUnavailableException("down", null);
        assertThat(SchemaRegistryUnavailableException.in(new KafkaException(new KafkaException(cause)))).contains(cause);
        assertThat(SchemaRegistryUnavailableException.in(new KafkaException(new UndecodableRecordException("bad")))).isEmpty();
    }
}
