package dev.digestflow.app;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * Where a running pipeline answers. {@code up} writes it to {@code <home>/data/endpoints.properties}
 * so that {@code status} and {@code ingest} find the instance without flags.
 */
public record Endpoints(String bootstrapServers, String registryUrl, String elasticsearchUrl, int ingestHttpPort, int enrichHttpPort,
        int sinkHttpPort) {

    public static Path file(Path home) {
        return home.resolve("data").resolve("endpoints.properties");
    }

    public void write(Path home) throws IOException {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers);
        p.setProperty("schema.registry.url", registryUrl);
        p.setProperty("elasticsearch.url", elasticsearchUrl);
        p.setProperty("ingest.http.port", String.valueOf(ingestHttpPort));
        p.setProperty("enrich.http.port", String.valueOf(enrichHttpPort));
        p.setProperty("sink.http.port", String.valueOf(sinkHttpPort));
        Path target = file(home);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "written by ./digestflow up; read by status and ingest");
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Endpoints read(Path home) throws IOException {
        Path f = file(home);
        if (!Files.exists(f)) {
            throw new IOException("no running instance found: " + f + " is missing. Start one with ./digestflow up --home " + home);
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new Endpoints(p.getProperty("bootstrap.servers"), p.getProperty("schema.registry.url"), p.getProperty("elasticsearch.url"),
                Integer.parseInt(p.getProperty("ingest.http.port", "0")), Integer.parseInt(p.getProperty("enrich.http.port", "0")),
                Integer.parseInt(p.getProperty("sink.http.port", "0")));
    }
}
