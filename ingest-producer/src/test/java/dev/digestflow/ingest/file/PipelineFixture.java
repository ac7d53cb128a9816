package dev.digestflow.ingest.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.ingest.inbox.Folders;
import dev.digestflow.ingest.inbox.ProcessedHashes;
import dev.digestflow.ingest.ops.IngestMetrics;
import dev.digestflow.ingest.parse.ParserRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** A home (inbox, processed/, failed/, state) and a pipeline over it with a recording publisher. */
public final class PipelineFixture implements AutoCloseable {

    public final Path home;
    public final Path inbox;
    public final Path processed;
    public final Path failed;
    public final RecordingPublisher publisher = new RecordingPublisher();
    public final IngestConfig config;
    public final Folders folders;
    public ProcessedHashes hashes;
    public ParserRegistry parsers = ParserRegistry.defaults();
    public FilePipeline pipeline;

    public PipelineFixture(Path home, Map<String, Object> overrides) throws IOException {
        this.home = home;
        this.inbox = Files.createDirectories(home.resolve("inbox"));
        this.processed = home.resolve("processed");
        this.failed = home.resolve("failed");
        this.config = new IngestConfig(settings(home, overrides));
        this.folders = new Folders(config.inbox(), config.processed(), config.failed(), config.instanceId());
        restart(FilePipeline.StepHook.NONE);
    }

    public static Map<String, Object> settings(Path home, Map<String, Object> overrides) {
        Map<String, Object> m = new HashMap<>();
        m.put(IngestConfig.INBOX_DIR, home.resolve("inbox").toString());
        m.put(IngestConfig.PROCESSED_DIR, home.resolve("processed").toString());
        m.put(IngestConfig.FAILED_DIR, home.resolve("failed").toString());
        m.put(IngestConfig.STATE_DIR, home.resolve("state").toString());
        m.put(IngestConfig.QUIET_PERIOD_MS, 0L);
        m.put(IngestConfig.POLL_INTERVAL_MS, 20L);
        m.put(IngestConfig.RETRY_BACKOFF_MS, 20L);
        m.put(IngestConfig.RETRY_BACKOFF_MAX_MS, 100L);
        m.put(IngestConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1");
        m.put(IngestConfig.SCHEMA_REGISTRY_URL, "mock://pipeline-test");
        m.putAll(overrides);
        return m;
    }

    /** A new pipeline over the same folders and state files, as after a restart of the process. */
    public void restart(FilePipeline.StepHook hook) throws IOException {
        if (hashes != null) {
            hashes.close();
        }
        hashes = new ProcessedHashes(config.stateDir());
        pipeline = new FilePipeline(config, folders, hashes, parsers, publisher, new IngestMetrics(new SimpleMeterRegistry()),
                Clock.systemUTC(), hook);
    }

    /** Writes a file into the inbox and claims it, as the loop does. */
    public Path claim(String name, byte[] content) throws IOException {
        Path f = Files.write(inbox.resolve(name), content);
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(60)));
        return folders.claim(f);
    }

    @Override
    public void close() throws IOException {
        hashes.close();
    }
}
