package dev.digestflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.ingest.file.FilePipeline;
import dev.digestflow.ingest.file.PipelineFixture;
import dev.digestflow.ingest.file.RecordingPublisher;
import dev.digestflow.ingest.inbox.InstanceLock;
import dev.digestflow.ingest.ops.IngestMetrics;
import dev.digestflow.ingest.parse.DigestParser;
import dev.digestflow.ingest.parse.DigestText;
import dev.digestflow.ingest.parse.Fixtures;
import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParserRegistry;
import dev.digestflow.ingest.parse.format.MarkdownNewsletterParser;
import dev.digestflow.schema.FileEvent;
import dev.digestflow.schema.FileStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The watch loop's decisions, on real folders, with a recording publisher instead of Kafka. */
class IngestServiceTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final byte[] BLOG = Fixtures.bytes("samples/000_545bdede27ca3e01.txt");
    private static final byte[] GOOD_MD = "# Issue\n\n## A Finding About Sparse Attention\n\nText.\n".getBytes(StandardCharsets.UTF_8);

    private static IngestService service(Path home, String instance, RecordingPublisher publisher, ParserRegistry parsers, Map<String, Object> extra)
            throws Exception {
        Map<String, Object> settings = new HashMap<>(PipelineFixture.settings(home, extra));
        settings.put(IngestConfig.INSTANCE_ID, instance);
        return new IngestService(new IngestConfig(settings), new IngestMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), publisher, parsers,
                FilePipeline.StepHook.NONE);
    }

    private static void drop(Path home, String name, byte[] content) throws Exception {
        Path staging = Files.createDirectories(home.resolve("staging")).resolve(name);
        Files.write(staging, content);
        Files.setLastModifiedTime(staging, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Files.move(staging, Files.createDirectories(home.resolve("inbox")).resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static FileStatus statusOf(RecordingPublisher p, String name) {
        return p.events().stream().filter(e -> e.getFileName().equals(name)).map(FileEvent::getStatus).reduce((a, b) -> b).orElse(null);
    }

    /** Before: only a PROCESSED file set readiness back, so an outage followed by duplicates or bad files left the service unready for good. */
    @Test
    void readinessRecoversWhenTheRetriedFileEndsSkipped(@TempDir Path home) throws Exception {
        RecordingPublisher publisher = new RecordingPublisher();
        try (IngestService service = service(home, "a", publisher, ParserRegistry.defaults(), Map.of())) {
            service.start();
            drop(home, "first.txt", BLOG);
            await().atMost(DEADLINE).until(() -> statusOf(publisher, "first.txt") == FileStatus.PROCESSED);
            publisher.transientFailures.set(3);
            drop(home, "again.txt", BLOG);
            await().atMost(DEADLINE).until(() -> !service.health().ready());
            assertThat(service.health().live()).isTrue();
            await().atMost(DEADLINE).until(() -> statusOf(publisher, "again.txt") == FileStatus.SKIPPED);
            await().atMost(DEADLINE).until(() -> service.health().ready());
        }
    }

    @Test
    void aFileThatStopsTheWorkerTwiceIsSetAsideAndIngestionGoesOn(@TempDir Path home) throws Exception {
        DigestParser killer = new DigestParser() {
            @Override
            public String format() {
                return "killer";
            }

            @Override
            public boolean sniff(DigestText text) {
                return text.fileName().equals("killer.md");
            }

            @Override
            public ParseResult parse(DigestText text) {
                throw new OutOfMemoryError("simulated: this file exhausts the heap");
            }
        };
        ParserRegistry parsers = new ParserRegistry(List.of(killer, new MarkdownNewsletterParser()));
        RecordingPublisher publisher = new RecordingPublisher();
        drop(home, "killer.md", GOOD_MD);
        for (int run = 1; run <= 2; run++) {
            try (IngestService service = service(home, "a", publisher, parsers, Map.of())) {
                service.start();
                await().atMost(DEADLINE).until(() -> service.failure() != null);
                assertThat(service.failure()).isInstanceOf(OutOfMemoryError.class);
                assertThat(service.health().live()).as("run " + run).isFalse();
            }
            assertThat(home.resolve("inbox/.claimed/a/killer.md")).as("kept claimed for the next start").exists();
        }
        try (IngestService service = service(home, "a", publisher, parsers, Map.of())) {
            service.start();
            await().atMost(DEADLINE).until(() -> statusOf(publisher, "killer.md") == FileStatus.FAILED);
            assertThat(home.resolve("failed/killer.md.error.txt")).content().contains("stopped the ingest worker 2 times");
            drop(home, "good.md", GOOD_MD);
            await().atMost(DEADLINE).until(() -> statusOf(publisher, "good.md") == FileStatus.PROCESSED);
            assertThat(service.failure()).isNull();
            assertThat(service.health().ready()).isTrue();
        }
    }

    @Test
    void aSecondLiveInstanceWithTheSameIdRefusesToStart(@TempDir Path home) throws Exception {
        try (IngestService first = service(home, "same", new RecordingPublisher(), ParserRegistry.defaults(), Map.of());
                IngestService second = service(home, "same", new RecordingPublisher(), ParserRegistry.defaults(), Map.of())) {
            first.start();
            assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another ingest-producer with instance.id=same is running").hasMessageContaining("same.lock");
        }
        // Once the first one is gone, the id is free again.
        try (IngestService third = service(home, "same", new RecordingPublisher(), ParserRegistry.defaults(), Map.of())) {
            third.start();
            assertThat(third.running()).isTrue();
        }
    }

    @Test
    void claimsOfAGoneInstanceAreAdoptedAndThoseOfALiveOneAreNot(@TempDir Path home) throws Exception {
        Path goneDir = Files.createDirectories(home.resolve("inbox/.claimed/gone"));
        Files.write(goneDir.resolve("left-behind.md"), GOOD_MD);
        Path liveDir = Files.createDirectories(home.resolve("inbox/.claimed/live"));
        Files.write(liveDir.resolve("in-progress.txt"), BLOG);
        RecordingPublisher publisher = new RecordingPublisher();
        try (InstanceLock live = InstanceLock.tryAcquire(liveDir);
                IngestService service = service(home, "a", publisher, ParserRegistry.defaults(), Map.of(IngestConfig.CLAIMS_ADOPT_AFTER_MS, 0L))) {
            assertThat(live).isNotNull();
            service.start();
            await().atMost(DEADLINE).until(() -> statusOf(publisher, "left-behind.md") == FileStatus.PROCESSED);
            assertThat(goneDir.resolve("left-behind.md")).doesNotExist();
            assertThat(liveDir.resolve("in-progress.txt")).as("a live instance's claim is its own").exists();
            assertThat(statusOf(publisher, "in-progress.txt")).isNull();
        }
    }

    @Test
    void eventsOfEveryOutcomeNameWhereTheFileIs(@TempDir Path home) throws Exception {
        RecordingPublisher publisher = new RecordingPublisher();
        try (IngestService service = service(home, "a", publisher, ParserRegistry.defaults(), Map.of())) {
            service.start();
            drop(home, "d.txt", BLOG);
            await().atMost(DEADLINE).until(() -> publisher.events().size() == 1);
            drop(home, "d.txt", BLOG);
            await().atMost(DEADLINE).until(() -> publisher.events().size() == 2);
            drop(home, "d.txt", new byte[0]);
            await().atMost(DEADLINE).until(() -> publisher.events().size() == 3);
        }
        List<String> paths = new ArrayList<>();
        for (FileEvent e : publisher.events()) {
            assertThat(Path.of(e.getPath())).as(e.getStatus().toString()).exists();
            paths.add(e.getPath());
        }
        assertThat(paths).doesNotHaveDuplicates();
        try (Stream<Path> s = Files.list(home.resolve("inbox/.claimed/a"))) {
            assertThat(s).isEmpty();
        }
    }
}
