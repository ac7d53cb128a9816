package dev.digestflow.service.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
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

    public OpsHttpServer(int port, PrometheusMeterRegistry registry, Supplier<Health> health) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 16);
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health/live", ex -> health(ex, health.get(), health.get().live()));
        server.createContext("/health/ready", ex -> health(ex, health.get(), health.get().ready()));
        server.createContext("/health", ex -> health(ex, health.get(), health.get().ready()));
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

    @Override
    public void close() {
        server.stop(0);
    }
}
