package dev.digestflow.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

class OpsHttpServerTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> get(OpsHttpServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The endpoints carry no authentication: by default they are not reachable from the network. */
    @Test
    void listensOnLoopbackByDefault() throws Exception {
        try (OpsHttpServer server = new OpsHttpServer(0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> new OpsHttpServer.Health(true, true, "ok"))) {
            assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
            assertThat(get(server, "/health").statusCode()).isEqualTo(200);
        }
    }

    /** One client that opens a connection and sends nothing must not stall the health checks of everyone else. */
    @Test
    void aSlowClientDoesNotStallHealthChecks() throws Exception {
        try (OpsHttpServer server = new OpsHttpServer(0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                () -> new OpsHttpServer.Health(true, true, "ok"));
                Socket slow = new Socket()) {
            slow.connect(new InetSocketAddress("127.0.0.1", server.port()));
            slow.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes()); // headers never finished
            HttpResponse<String> r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> get(server, "/health/live"));
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    /** The status code and the body come from one reading of the health, even when it changes between reads. */
    @Test
    void theStatusCodeAndTheBodyAgree() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        try (OpsHttpServer server = new OpsHttpServer(0, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> {
            boolean ready = reads.incrementAndGet() % 2 == 1; // flips at every read
            return new OpsHttpServer.Health(true, ready, ready ? "ready" : "not ready");
        })) {
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> r = get(server, "/health/ready");
                assertThat(r.body()).contains(r.statusCode() == 200 ? "\"ready\":true" : "\"ready\":false");
            }
            assertThat(reads.get()).as("one read per request").isEqualTo(6);
        }
    }
}
