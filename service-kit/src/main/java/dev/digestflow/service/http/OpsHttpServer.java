package dev.digestflow.service.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The operations endpoint of every service: {@code /metrics} in Prometheus text format, and health.
 * {@code /health/live} answers 200 while the process can make progress (restart it otherwise),
 * {@code /health/ready} 200 when it is doing its work (route traffic or count it as up); {@code /health}
 * answers like ready, with both flags and a detail in the JSON body.
 */
public final class OpsHttpServer implements AutoCloseable {

    /** A service's health at one moment. */
    public record Health(boolean live, boolean ready, String detail) {
    }

    private final HttpServer server;
    private final ExecutorService executor;

    /** On loopback: the endpoints carry no authentication. */
    public OpsHttpServer(int port, PrometheusMeterRegistry registry, Supplier<Health> health) throws IOException {
        this("127.0.0.1", port, registry, health);
    }

    /**
     * @param bindAddress where to listen; loopback unless a container needs the endpoints reachable
     *        from outside ({@code http.bind.address})
     */
    public OpsHttpServer(String bindAddress, int port, PrometheusMeterRegistry registry, Supplier<Health> health) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 16);
        // Own threads: with the JDK server's default, one request at a time, a slow client stalls every health check.
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "ops-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        // Health is read once per request, so that the status code and the body always agree.
        server.createContext("/health/live", ex -> {
            Health h = health.get();
            health(ex, h, h.live());
        });
        server.createContext("/health/ready", ex -> {
            Health h = health.get();
            health(ex, h, h.ready());
        });
        server.createContext("/health", ex -> {
            Health h = health.get();
            health(ex, h, h.ready());
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void health(HttpExchange ex, Health h, boolean ok) throws IOException {
        String body = "{\"status\":\"" + (ok ? "UP" : "DOWN") + "\",\"live\":" + h.live() + ",\"ready\":" + h.ready()
                + ",\"detail\":\"" + h.detail().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        respond(ex, ok ? 200 : 503, "application/json", body);
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The address and port it listens on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
