package dev.digestflow.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.digestflow.schema.serde.AvroSerdeConfig;

/**
 * The client's HTTP behaviour (retries, failover, auth, error codes) against a scripted HTTP server.
 * The registry's real API is checked against the real server in test-stack's RegistryServerIT.
 */
class RestSchemaRegistryClientTest {

    private HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> authHeaders = new CopyOnWriteArrayList<>();

    private String serve(int failuresBeforeSuccess, int failureStatus) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            authHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            int n = calls.incrementAndGet();
            boolean fail = n <= failuresBeforeSuccess;
            byte[] body = (fail ? "{\"error_code\":" + (failureStatus == 404 ? 40403 : 50001) + ",\"message\":\"scripted\"}"
                    : "{\"schema\":\"\\\"string\\\"\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(fail ? failureStatus : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private static RestSchemaRegistryClient client(String urls, Map<String, Object> extra) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, urls,
                AvroSerdeConfig.RETRY_BACKOFF_MS, 1L, AvroSerdeConfig.RETRY_BACKOFF_MAX_MS, 5L, AvroSerdeConfig.MAX_RETRIES, 3));
        config.putAll(extra);
        return new RestSchemaRegistryClient(new AvroSerdeConfig(config));
    }

    @Test
    void retriesServerErrorsThenSucceeds() throws IOException {
        String url = serve(2, 503);
        assertThat(client(url, Map.of()).getById(1).getType()).isEqualTo(org.apache.avro.Schema.Type.STRING);
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void givesUpAfterMaxRetriesWithTheRegistryMessage() throws IOException {
        String url = serve(100, 500);
        assertThatThrownBy(() -> client(url, Map.of()).getById(1)).isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(500);
            assertThat(e.errorCode()).isEqualTo(50001);
            assertThat(e).hasMessageContaining("scripted");
        });
        assertThat(calls.get()).isEqualTo(4);
    }

    @Test
    void doesNotRetryClientErrors() throws IOException {
        String url = serve(100, 404);
        assertThatThrownBy(() -> client(url, Map.of()).getById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void failsOverToTheNextUrlWhenOneIsUnreachable() throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        String url = serve(0, 200);
        assertThat(client("http://127.0.0.1:" + deadPort + "," + url, Map.of()).getById(1)).isNotNull();
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void unreachableRegistryIsARetriableErrorNamingTheUrl() throws IOException {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        assertThatThrownBy(() -> client("http://127.0.0.1:" + deadPort, Map.of()).getById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.retriable()).isTrue())
                .hasMessageContaining("127.0.0.1:" + deadPort).hasMessageContaining("unreachable");
    }

    @Test
    void sendsBasicAuthFromUserInfoOrUrl() throws IOException {
        String url = serve(0, 200);
        client(url, Map.of(AvroSerdeConfig.BASIC_AUTH_USER_INFO, "alice:s3cret")).getById(1);
        client(url.replace("http://", "http://bob:pw@"), Map.of(AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "URL")).getById(1);
        assertThat(authHeaders).containsExactly(
                "Basic " + java.util.Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)),
                "Basic " + java.util.Base64.getEncoder().encodeToString("bob:pw".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void credentialsNeverAppearInTheConfigsToString() {
        AvroSerdeConfig config = new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://x",
                AvroSerdeConfig.BASIC_AUTH_USER_INFO, "alice:s3cret"));
        assertThat(config.values().toString()).doesNotContain("s3cret");
    }
}
