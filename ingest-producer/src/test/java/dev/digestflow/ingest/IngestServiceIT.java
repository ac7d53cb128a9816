package dev.digestflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.ingest.parse.Fixtures;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.FileEvent;
import dev.digestflow.schema.FileStatus;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestStack;
import dev.digestflow.teststack.TestStackExtension;

/** The watched folder end to end against the real Kafka broker and registry of the test stack. */
@ExtendWith(TestStackExtension.class)
class IngestServiceIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Map<String, Integer> SAMPLES = Map.of(
            "000_545bdede27ca3e01.txt", 10, "003_19fcee2af990f575.txt", 48, "004_daa9faf00548796a.txt", 31);

    private static IngestHarness harness(TestStack stack, TestNames names, Path dir, TestInfo info) throws Exception {
        return new IngestHarness(stack, names, dir, info.getTestMethod().orElseThrow().getName());
    }

    private static List<FileEvent> fileEvents(IngestHarness h) {
        List<FileEvent> events = new ArrayList<>();
        h.<FileEvent>readAll(h.filesTopic, FileEvent.class).forEach(r -> events.add(r.value()));
        return events;
    }

    @Test
    void eachSampleGivesExactlyItsItemsAndAFileEvent(TestStack stack, TestNames names, @TempDir Path dir, TestInfo info) throws Exception {
        IngestHarness h = harness(stack, names, dir, info);
        try (IngestService service = h.start(h.settings("a"))) {
            for (String sample : SAMPLES.keySet()) {
                h.drop(sample, Fixtures.bytes("samples/" + sample));
            }
            h.drop("Wochen Übersicht – Notizen №1.md", "## Ein Titel mit Umlauten: Über Agenten\n\nText.\n".getBytes(StandardCharsets.UTF_8));
            await().atMost(DEADLINE).until(() -> fileEvents(h).size() >= 4);
        }
        List<FileEvent> unicode = fileEvents(h).stream().filter(e -> e.getFileName().startsWith("Wochen")).toList();
        assertThat(unicode).singleElement().satisfies(e -> {
            assertThat(e.getFileName()).isEqualTo("Wochen Übersicht – Notizen №1.md");
            assertThat(e.getStatus()).isEqualTo(FileStatus.PROCESSED);
            assertThat(e.getItemCount()).isEqualTo(1);
        });
        List<FileEvent> events = fileEvents(h).stream().filter(e -> !e.getFileName().startsWith("Wochen")).toList();
        assertThat(events).hasSize(3).allSatisfy(e -> assertThat(e.getStatus()).isEqualTo(FileStatus.PROCESSED));
        assertThat(events.stream().collect(Collectors.toMap(FileEvent::getFileName, FileEvent::getItemCount))).isEqualTo(SAMPLES);
        assertThat(events).extracting(FileEvent::getFormat).containsExactlyInAnyOrder("blog-listing", "daily-papers", "topic-hub");

        List<ConsumerRecord<String, DigestItem>> items = h.readAll(h.itemsTopic, DigestItem.class);
        assertThat(items).hasSize(10 + 48 + 31 + 1);
        for (String sample : SAMPLES.keySet()) {
            assertThat(items.stream().filter(r -> r.value().getSource().getFile().equals(sample))).hasSize(SAMPLES.get(sample));
        }
        assertThat(items).allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getItemId()));
        assertThat(h.processedFiles()).extracting(p -> p.getFileName().toString())
                .containsAll(SAMPLES.keySet()).contains("Wochen Übersicht – Notizen №1.md").hasSize(4);
        assertThat(h.inbox.resolve(".claimed/a")).isEmptyDirectory();
    }

    @Test
    void badInputsEndInFailedWithAReasonWhileTheServiceKeepsRunning(TestStack stack, TestNames names, @TempDir Path dir, TestInfo info) throws Exception {
        IngestHarness h = harness(stack, names, dir, info);
        Map<String, Object> settings = h.settings("a");
        settings.put(IngestConfig.MAX_FILE_BYTES, 100_000L);
        Map<String, String> expectedReasons = Map.of(
                "empty.txt", "the file is empty",
                "blank.txt", "only whitespace",
                "image.png", "byte offset",
                "latin1.txt", "invalid UTF-8 at byte offset 3",
                "huge.txt", "over the limit of 100000 bytes",
                "page.html", "HTML page",
                "notes.txt", "not a recognized digest format",
                "folder.txt", "is a directory",
                "link.txt", "points outside the inbox");
        try (IngestService service = h.start(settings)) {
            h.drop("empty.txt", new byte[0]);
            h.drop("blank.txt", " \n\n\t \n".getBytes(StandardCharsets.UTF_8));
            h.drop("image.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13});
            h.drop("latin1.txt", "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1));
            h.drop("huge.txt", "a".repeat(100_001).getBytes(StandardCharsets.UTF_8));
            h.drop("page.html", "<!DOCTYPE html>\n<html><body><h1>Blog</h1></body></html>".getBytes(StandardCharsets.UTF_8));
            h.drop("notes.txt", "groceries\nmilk\neggs\n".getBytes(StandardCharsets.UTF_8));
            Files.createDirectory(h.inbox.resolve("folder.txt"));
            Path secret = Files.writeString(dir.resolve("outside-secret.txt"), "Daily Papers\n\nDec 8\n\nSecret\n\nnot to be read\n");
            Files.createSymbolicLink(h.inbox.resolve("link.txt"), secret);
            await().atMost(DEADLINE).untilAsserted(() -> expectedReasons.keySet()
                    .forEach(name -> assertThat(h.errorFile(name)).exists()));
            // Still alive: a good file after all the bad ones is processed.
            h.drop("good.txt", Fixtures.bytes("samples/000_545bdede27ca3e01.txt"));
            await().atMost(DEADLINE).until(() -> h.processedFiles().size() == 1);
        }
        for (Map.Entry<String, String> e : expectedReasons.entrySet()) {
            assertThat(h.failed.resolve(e.getKey())).exists();
            String reason = Files.readString(h.errorFile(e.getKey()));
            assertThat(reason).as(e.getKey()).contains(e.getValue()).contains("What to do:").contains("Format:");
        }
        assertThat(Files.readString(h.errorFile("notes.txt"))).contains("tried: topic-hub, daily-papers, blog-listing");
        assertThat(Files.readString(dir.resolve("outside-secret.txt"))).as("the link's target is untouched").contains("Secret");
        List<FileEvent> events = fileEvents(h);
        assertThat(events.stream().filter(e -> e.getStatus() == FileStatus.FAILED)).hasSize(expectedReasons.size());
        assertThat(h.readAll(h.itemsTopic, DigestItem.class)).hasSize(10);
    }

    @Test
    void aFileWrittenSlowlyIsNotPickedUpBeforeItIsComplete(TestStack stack, TestNames names, @TempDir Path dir, TestInfo info) throws Exception {
        IngestHarness h = harness(stack, names, dir, info);
        Map<String, Object> settings = h.settings("a");
        settings.put(IngestConfig.QUIET_PERIOD_MS, 1000L);
        byte[] sample = Fixtures.bytes("samples/003_19fcee2af990f575.txt");
        Path target = h.inbox.resolve("slow.txt");
        int chunks = 10;
        int chunk = sample.length / chunks + 1;
        AtomicInteger written = new AtomicInteger();
        List<Boolean> stillInInboxWhileWriting = new ArrayList<>();
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try (IngestService service = h.start(settings)) {
            // A chunk every 300 ms, well inside the 1 s quiet period: the file is never quiet until done.
            writer.scheduleAtFixedRate(() -> {
                int n = written.getAndIncrement();
                if (n >= chunks) {
                    return;
                }
                try {
                    stillInInboxWhileWriting.add(Files.exists(target) || n == 0);
                    Files.write(target, java.util.Arrays.copyOfRange(sample, n * chunk, Math.min(sample.length, (n + 1) * chunk)),
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, 0, 300, TimeUnit.MILLISECONDS);
            await().atMost(DEADLINE).until(() -> written.get() >= chunks);
            await().atMost(DEADLINE).until(() -> fileEvents(h).size() == 1);
        } finally {
            writer.shutdownNow();
        }
        assertThat(stillInInboxWhileWriting).as("the file stayed in the inbox until its last chunk").doesNotContain(false);
        FileEvent event = fileEvents(h).get(0);
        assertThat(event.getStatus()).isEqualTo(FileStatus.PROCESSED);
        assertThat(event.getItemCount()).isEqualTo(48);
        assertThat(event.getSizeBytes()).isEqualTo(sample.length);
    }

    @Test
    void aCrashMidFileLosesNothingAndRepublishingIsHarmless(TestStack stack, TestNames names, @TempDir Path dir, TestInfo info) throws Exception {
        IngestHarness h = harness(stack, names, dir, info);
        String sample = "003_19fcee2af990f575.txt";
        // The disk as a crash mid-file leaves it: the file claimed by this instance, not yet moved out.
        Path claimed = Files.createDirectories(h.inbox.resolve(".claimed/a")).resolve(sample);
        Files.write(claimed, Fixtures.bytes("samples/" + sample));
        try (IngestService first = h.start(h.settings("a"))) {
            await().atMost(DEADLINE).until(() -> fileEvents(h).size() == 1);
        }
        int afterFirst = h.readAll(h.itemsTopic, DigestItem.class).size();
        // A crash after the items were sent but before the file was moved: the same file is claimed again, and
        // (hash not yet recorded) published again in full on restart.
        Files.write(claimed, Fixtures.bytes("samples/" + sample));
        Files.delete(h.home.resolve("state-a/processed-sha256.txt"));
        try (IngestService restarted = h.start(h.settings("a"))) {
            await().atMost(DEADLINE).until(() -> fileEvents(h).size() == 2);
        }
        List<ConsumerRecord<String, DigestItem>> items = h.readAll(h.itemsTopic, DigestItem.class);
        Set<String> ids = items.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
        assertThat(afterFirst).isEqualTo(48);
        assertThat(items).hasSize(96);
        assertThat(ids).as("re-publishing gives the same ids: consumers dedup by key").hasSize(48);
        assertThat(h.processedFiles()).hasSize(2);
    }

    @Test
    void theSameContentDroppedAgainIsSkippedEvenAfterARestart(TestStack stack, TestNames names, @TempDir Path dir, TestInfo info) throws Exception {
        IngestHarness h = harness(stack, names, dir, info);
        byte[] sample = Fixtures.bytes("samples/000_545bdede27ca3e01.txt");
        try (IngestService service = h.start(h.settings("a"))) {
            h.drop("first.txt", sample);
            await().atMost(DEADLINE).until(() -> fileEvents(h).size() == 1);
        }
        try (IngestService restarted = h.start(h.settings("a"))) {
            h.drop("again.txt", sample);
            await().atMost(DEADLINE).until(() -> fileEvents(h).size() == 2);
        }
        FileEvent second = fileEvents(h).get(1);
        assertThat(second.getStatus()).isEqualTo(FileStatus.SKIPPED);
        assertThat(second.getFileName()).isEqualTo("again.txt");
        assertThat(second.getError()).contains("already processed");
        assertThat(h.readAll(h.itemsTopic, DigestItem.class)).hasSize(10);
        assertThat(h.processedFiles()).hasSize(2);
    }

    @Test
    void twoInstancesOnOneInboxNeverProcessAFileTwice(TestStack stack, TestNames names, @TempDir Path dir, TestInfo info) throws Exception {
        IngestHarness h = harness(stack, names, dir, info);
        int files = 30;
        // Half the files are already waiting when the instances start; the rest arrive while they run.
        for (int i = 0; i < files / 2; i++) {
            h.drop("batch-" + i + ".jsonl", jsonl(i));
        }
        try (IngestService a = h.start(h.settings("a")); IngestService b = h.start(h.settings("b"))) {
            for (int i = files / 2; i < files; i++) {
                h.drop("batch-" + i + ".jsonl", jsonl(i));
            }
            await().atMost(DEADLINE).until(() -> fileEvents(h).size() >= files);
        }
        List<FileEvent> events = fileEvents(h);
        assertThat(events).hasSize(files).allSatisfy(e -> assertThat(e.getStatus()).isEqualTo(FileStatus.PROCESSED));
        assertThat(events.stream().map(FileEvent::getFileName).collect(Collectors.toSet())).hasSize(files);
        assertThat(h.readAll(h.itemsTopic, DigestItem.class)).hasSize(2 * files);
        assertThat(h.processedFiles()).hasSize(files);
        Set<String> instances = new HashSet<>();
        events.forEach(e -> instances.add(e.getInstance()));
        assertThat(instances).isSubsetOf("a", "b");
    }

    private static byte[] jsonl(int i) {
        return ("{\"title\": \"Paper " + i + " on agents\", \"summary\": \"s\"}\n{\"title\": \"Paper " + i + " on retrieval\"}\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void whenKafkaIsUnreachableTheFileStaysInTheInboxAndIsRetried(TestStack stack, TestNames names, @TempDir Path dir, TestInfo info) throws Exception {
        IngestHarness h = harness(stack, names, dir, info);
        Map<String, Object> settings = h.settings("a");
        int deadPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        settings.put(IngestConfig.BOOTSTRAP_SERVERS, "127.0.0.1:" + deadPort);
        settings.put(IngestConfig.SEND_TIMEOUT_MS, 1500);
        IngestConfig config = new IngestConfig(settings);
        try (IngestService service = new IngestService(config, new dev.digestflow.ingest.ops.IngestMetrics(h.meters), java.time.Clock.systemUTC())) {
            service.start();
            h.drop("waiting.txt", Fixtures.bytes("samples/000_545bdede27ca3e01.txt"));
            await().atMost(DEADLINE).until(() -> h.meters.counter("digestflow.ingest.retries").count() >= 2);
            assertThat(service.healthy()).isFalse();
        }
        assertThat(h.inbox.resolve(".claimed/a/waiting.txt")).exists();
        assertThat(h.processedFiles()).isEmpty();
        assertThat(h.failed).satisfiesAnyOf(f -> assertThat(f).doesNotExist(), f -> assertThat(f).isEmptyDirectory());
    }
}
