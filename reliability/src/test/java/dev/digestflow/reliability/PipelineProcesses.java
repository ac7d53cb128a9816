package dev.digestflow.reliability;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.digestflow.enrich.EnrichStreamsMain;
import dev.digestflow.ingest.IngestProducerMain;
import dev.digestflow.sink.IndexSinkMain;

/** The three services as their own JVMs, started in pipeline order (consumers first) and stopped together. */
final class PipelineProcesses implements AutoCloseable {

    static final String SAMPLE = "/samples/000_545bdede27ca3e01.txt";
    static final int SAMPLE_ITEMS = 10;

    final ServiceProcess producer;
    final ServiceProcess streams;
    final ServiceProcess indexer;

    PipelineProcesses(Map<String, Object> ingest, Map<String, Object> enrich, Map<String, Object> sink, Path logs) {
        this.producer = new ServiceProcess("ingest-producer", IngestProducerMain.class, ingest, "ingest-producer started", logs);
        this.streams = new ServiceProcess("enrich-streams", EnrichStreamsMain.class, enrich, "enrich-streams started", logs);
        this.indexer = new ServiceProcess("index-sink", IndexSinkMain.class, sink, "index-sink started", logs);
    }

    List<ServiceProcess> all() {
        return List.of(producer, streams, indexer);
    }

    void startAll(Duration timeout) throws IOException, InterruptedException {
        streams.start(timeout);
        indexer.start(timeout);
        producer.start(timeout);
    }

    /** Drops the 10-item blog listing sample into {@code home}/inbox and waits until the alias holds its documents. */
    static void dropSampleAndAwaitIndexed(Path home, ElasticsearchClient es, String alias, Duration timeout) throws IOException {
        Files.createDirectories(home.resolve("inbox"));
        try (InputStream in = PipelineProcesses.class.getResourceAsStream(SAMPLE)) {
            Files.write(home.resolve("inbox").resolve("sample.txt"), in.readAllBytes());
        }
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
            try {
                return es.count(c -> c.index(alias)).count() == SAMPLE_ITEMS;
            } catch (Exception notYet) {
                return false; // the alias appears with the sink's first start-up
            }
        });
    }

    @Override
    public void close() throws InterruptedException {
        for (ServiceProcess p : all()) {
            p.close();
        }
    }
}
