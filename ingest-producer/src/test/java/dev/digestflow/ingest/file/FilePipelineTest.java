package dev.digestflow.ingest.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.ingest.inbox.Folders;
import dev.digestflow.ingest.parse.DigestParser;
import dev.digestflow.ingest.parse.DigestText;
import dev.digestflow.ingest.parse.Fixtures;
import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParserRegistry;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.FileEvent;
import dev.digestflow.schema.FileStatus;

/** The decisions of the file pipeline, with a recording publisher instead of Kafka. */
class FilePipelineTest {

    private static final byte[] BLOG = Fixtures.bytes("samples/000_545bdede27ca3e01.txt");

    /** Stands in for a kill at a step: an Error, which nothing in the pipeline catches. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(FilePipeline.Step step) {
            super("simulated crash at " + step);
        }
    }

    @ParameterizedTest
    @EnumSource(FilePipeline.Step.class)
    void aCrashAtAnyStepOfTheDoneStepNeverLetsTheSameContentInAgain(FilePipeline.Step crashAt, @TempDir Path home) throws Exception {
        try (PipelineFixture f = new PipelineFixture(home, Map.of())) {
            f.restart((step, file) -> {
                if (step == crashAt) {
                    throw new SimulatedCrash(step);
                }
            });
            Path claimed = f.claim("digest.txt", BLOG);
            try {
                f.pipeline.process(claimed, "digest.txt", Instant.now());
            } catch (SimulatedCrash expected) {
                // the process died here
            }
            f.restart(FilePipeline.StepHook.NONE);
            // What the next start does: recover the leftover claim.
            for (Path leftover : f.folders.leftoverClaims()) {
                assertThat(f.pipeline.process(leftover, leftover.getFileName().toString(), Instant.now()))
                        .isInstanceOfAny(FileOutcome.Skipped.class, FileOutcome.Processed.class);
            }
            assertThat(f.folders.leftoverClaims()).isEmpty();
            try (Stream<Path> done = Files.walk(f.processed)) {
                assertThat(done.filter(Files::isRegularFile).filter(p -> sameBytes(p, BLOG)).count()).as("one copy in processed/, not two").isEqualTo(1);
            }
            // The same content dropped again is recognised.
            Path again = f.claim("digest-again.txt", BLOG);
            assertThat(f.pipeline.process(again, "digest-again.txt", Instant.now())).isInstanceOf(FileOutcome.Skipped.class);
            assertThat(f.publisher.items().stream().map(DigestItem::getItemId).distinct()).hasSize(10);
            assertThat(f.publisher.items()).as("published once, not again after the crash").hasSize(10);
            try (Stream<Path> done = Files.walk(f.processed)) {
                assertThat(done.filter(Files::isRegularFile).anyMatch(p -> sameBytes(p, BLOG))).isTrue();
            }
        }
    }

    @Test
    void eventsNameTheFileWhereItReallyIsWhenTheNameWasTaken(@TempDir Path home) throws Exception {
        try (PipelineFixture f = new PipelineFixture(home, Map.of())) {
            Path first = f.claim("same.txt", BLOG);
            FileOutcome.Processed a = (FileOutcome.Processed) f.pipeline.process(first, "same.txt", Instant.now());
            byte[] other = (new String(BLOG, StandardCharsets.UTF_8) + "\n\n").getBytes(StandardCharsets.UTF_8);
            Path second = f.claim("same.txt", other);
            FileOutcome.Processed b = (FileOutcome.Processed) f.pipeline.process(second, "same.txt", Instant.now());
            Path third = f.claim("same.txt", BLOG);
            FileOutcome.Skipped c = (FileOutcome.Skipped) f.pipeline.process(third, "same.txt", Instant.now());
            assertThat(List.of(a.where(), b.where(), c.where())).doesNotHaveDuplicates().allSatisfy(p -> assertThat(p).exists());
            assertThat(f.publisher.events()).extracting(FileEvent::getPath)
                    .containsExactly(a.where().toString(), b.where().toString(), c.where().toString());
            assertThat(Files.readAllBytes(b.where())).isEqualTo(other);
        }
    }

    /** cleanup.policy=delete: announced, then deleted; its hash kept, so the same content dropped again is skipped and deleted too. */
    @Test
    void theDeletePolicyAnnouncesThenDeletesAndStillRecognisesTheContent(@TempDir Path home) throws Exception {
        try (PipelineFixture f = new PipelineFixture(home, Map.of(IngestConfig.CLEANUP_POLICY, "delete"))) {
            Path claimed = f.folders.claim(Files.write(f.inbox.resolve("a.txt"), BLOG));
            FileOutcome outcome = f.pipeline.process(claimed, "a.txt", Instant.now());
            assertThat(outcome).isInstanceOf(FileOutcome.Processed.class);
            assertThat(claimed).doesNotExist();
            assertThat(f.processed).isEmptyDirectory();
            assertThat(f.publisher.events()).singleElement().satisfies(e -> {
                assertThat(e.getStatus()).isEqualTo(FileStatus.PROCESSED);
                assertThat(e.getPath()).isEqualTo(FilePipeline.DELETED_PATH);
            });
            Path again = f.folders.claim(Files.write(f.inbox.resolve("again.txt"), BLOG));
            assertThat(f.pipeline.process(again, "again.txt", Instant.now())).isInstanceOf(FileOutcome.Skipped.class);
            assertThat(again).doesNotExist();
            assertThat(f.publisher.items()).as("items once").hasSize(10);
            // A rejected file still goes to failed/ with its reason.
            Path broken = f.folders.claim(Files.writeString(f.inbox.resolve("broken.json"), "{\"items\": [ {\"title\": \"trunc"));
            assertThat(f.pipeline.process(broken, "broken.json", Instant.now())).isInstanceOf(FileOutcome.Failed.class);
            assertThat(f.failed.resolve("broken.json")).exists();
        }
    }

    @Test
    void theFlatLayoutPutsFinishedFilesDirectlyInProcessedWithoutReplacingAny(@TempDir Path home) throws Exception {
        try (PipelineFixture f = new PipelineFixture(home, Map.of(IngestConfig.PROCESSED_LAYOUT, "flat"))) {
            Files.createDirectories(f.processed);
            Files.writeString(f.processed.resolve("a.txt"), "a file already there");
            Path claimed = f.folders.claim(Files.write(f.inbox.resolve("a.txt"), BLOG));
            FileOutcome outcome = f.pipeline.process(claimed, "a.txt", Instant.now());
            Path where = ((FileOutcome.Processed) outcome).where();
            assertThat(where.getParent()).isEqualTo(f.processed);
            assertThat(where.getFileName().toString()).isNotEqualTo("a.txt");
            assertThat(Files.readString(f.processed.resolve("a.txt"))).isEqualTo("a file already there");
            assertThat(Files.readAllBytes(where)).isEqualTo(BLOG);
        }
    }

    @Test
    void aFileWrittenToAfterItWasReadIsProcessedAgainAsAWhole(@TempDir Path home) throws Exception {
        try (PipelineFixture f = new PipelineFixture(home, Map.of(IngestConfig.QUIET_PERIOD_MS, 300L))) {
            String full = new String(BLOG, StandardCharsets.UTF_8);
            int cut = full.indexOf('\n', full.length() / 2) + 1;
            Path inboxFile = Files.writeString(f.inbox.resolve("growing.txt"), full.substring(0, cut));
            Path claimed = f.folders.claim(inboxFile);
            FileOutcome first = f.pipeline.process(claimed, "growing.txt", Instant.now());
            assertThat(first).as("written just now: not published until re-checked").isInstanceOf(FileOutcome.AwaitingRecheck.class);
            int halfItems = ((FileOutcome.AwaitingRecheck) first).work().items();
            assertThat(f.publisher.items()).isEmpty();
            Files.writeString(claimed, full.substring(cut), java.nio.file.StandardOpenOption.APPEND); // the writer resumes
            FileOutcome outcome = first;
            while (outcome instanceof FileOutcome.AwaitingRecheck p) {
                await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(p.recheckAt()));
                outcome = f.pipeline.finish(p.work());
            }
            assertThat(outcome).isInstanceOf(FileOutcome.Processed.class);
            assertThat(((FileOutcome.Processed) outcome).items()).isEqualTo(10).isGreaterThan(halfItems);
            assertThat(Files.readString(((FileOutcome.Processed) outcome).where())).isEqualTo(full);
            assertThat(f.publisher.events()).hasSize(1).first().extracting(FileEvent::getItemCount).isEqualTo(10);
            assertThat(f.publisher.items()).as("the half was never published").hasSize(10);
        }
    }

    @Test
    void twoCopiesBothAwaitingTheirRecheckArePublishedOnce(@TempDir Path home) throws Exception {
        // Two copies of one digest dropped within the quiet period both wait for their re-check; the
        // first to finish records the content, so the second must end as SKIPPED, not publish again.
        try (PipelineFixture f = new PipelineFixture(home, Map.of(IngestConfig.QUIET_PERIOD_MS, 200L))) {
            Path one = f.claim("one.txt", BLOG);
            Path two = f.claim("two.txt", BLOG);
            for (Path justWritten : List.of(one, two)) {
                Files.setLastModifiedTime(justWritten, java.nio.file.attribute.FileTime.from(Instant.now()));
            }
            FileOutcome first = f.pipeline.process(one, "one.txt", Instant.now());
            FileOutcome second = f.pipeline.process(two, "two.txt", Instant.now());
            assertThat(first).isInstanceOf(FileOutcome.AwaitingRecheck.class);
            assertThat(second).isInstanceOf(FileOutcome.AwaitingRecheck.class);
            FileOutcome.AwaitingRecheck a = (FileOutcome.AwaitingRecheck) first;
            FileOutcome.AwaitingRecheck b = (FileOutcome.AwaitingRecheck) second;
            await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(a.recheckAt()) && Instant.now().isAfter(b.recheckAt()));
            assertThat(f.pipeline.finish(a.work())).isInstanceOf(FileOutcome.Processed.class);
            assertThat(f.pipeline.finish(b.work())).isInstanceOf(FileOutcome.Skipped.class);
            assertThat(f.publisher.items()).as("the content's items, once").hasSize(10);
            assertThat(f.publisher.events()).extracting(FileEvent::getStatus).containsExactly(FileStatus.PROCESSED, FileStatus.SKIPPED);
        }
    }

    @Test
    void anItemKafkaWillNeverTakeFailsTheFileWithAReasonNamingIt(@TempDir Path home) throws Exception {
        try (PipelineFixture f = new PipelineFixture(home, Map.of())) {
            f.publisher.rejected = item -> item.getSource().getOrdinal() == 2;
            Path claimed = f.claim("big-item.txt", BLOG);
            FileOutcome outcome = f.pipeline.process(claimed, "big-item.txt", Instant.now());
            assertThat(outcome).isInstanceOf(FileOutcome.Failed.class);
            String reason = Files.readString(Folders.reasonFileOf(((FileOutcome.Failed) outcome).where()));
            assertThat(reason).contains("item 3 of 10").contains("too large").containsPattern("Where: +line \\d+").contains("max.request.size");
            assertThat(f.publisher.events()).singleElement().extracting(FileEvent::getStatus).isEqualTo(FileStatus.FAILED);
            assertThat(f.folders.leftoverClaims()).isEmpty();
        }
    }

    @Test
    void aTransientFailureKeepsTheFileClaimedAndTheRetrySucceeds(@TempDir Path home) throws Exception {
        try (PipelineFixture f = new PipelineFixture(home, Map.of())) {
            f.publisher.transientFailures.set(1);
            Path claimed = f.claim("later.txt", BLOG);
            assertThat(f.pipeline.process(claimed, "later.txt", Instant.now())).isInstanceOf(FileOutcome.Retry.class);
            assertThat(claimed).exists();
            assertThat(f.pipeline.process(claimed, "later.txt", Instant.now())).isInstanceOf(FileOutcome.Processed.class);
            assertThat(claimed).doesNotExist();
        }
    }

    /**
     * processed/ cannot take the file after its items and hash are in: the retry is this file's own
     * processing (PROCESSED, items not sent again), not "same content already processed".
     */
    @Test
    void aFileRetriedAfterItsHashWasRecordedEndsProcessedNotSkipped(@TempDir Path home) throws Exception {
        try (PipelineFixture f = new PipelineFixture(home, Map.of())) {
            Path day = f.processed.resolve(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
            Files.writeString(day, "not a folder"); // stands in for a full or read-only disk
            Path claimed = f.claim("blocked.txt", BLOG);
            FileOutcome first = f.pipeline.process(claimed, "blocked.txt", Instant.now());
            assertThat(first).isInstanceOf(FileOutcome.Retry.class);
            assertThat(((FileOutcome.Retry) first).cause().getMessage()).contains("cannot move it into").contains("check free space and permissions");
            Files.delete(day);
            FileOutcome second = f.pipeline.process(claimed, "blocked.txt", Instant.now());
            assertThat(second).isInstanceOf(FileOutcome.Processed.class);
            assertThat(f.publisher.items()).as("items sent once").hasSize(10);
            assertThat(f.publisher.events()).extracting(FileEvent::getStatus).containsExactly(FileStatus.PROCESSED);
        }
    }

    @Test
    void aParserThatThrowsAnythingRejectsTheFileInsteadOfStoppingIngestion(@TempDir Path home) throws Exception {
        try (PipelineFixture f = new PipelineFixture(home, Map.of())) {
            for (Throwable t : List.of(new StackOverflowError(), new NumberFormatException("For input string: \"99999999999\""),
                    new java.time.DateTimeException("Invalid date 'FEBRUARY 30'"), new IllegalStateException("a defect"))) {
                f.parsers = new ParserRegistry(List.of(throwing(t)));
                f.restart(FilePipeline.StepHook.NONE);
                String name = t.getClass().getSimpleName() + ".txt";
                Path claimed = f.claim(name, ("content for " + name).getBytes(StandardCharsets.UTF_8));
                FileOutcome outcome = f.pipeline.process(claimed, name, Instant.now());
                assertThat(outcome).as(name).isInstanceOf(FileOutcome.Failed.class);
                assertThat(((FileOutcome.Failed) outcome).problem()).contains("test-format parser failed on this file").contains(t.getClass().getSimpleName());
                assertThat(f.failed.resolve(name + ".error.txt")).content().contains("digestflow defect");
            }
        }
    }

    @Test
    void numbersAndDatesNoPageCanHoldAreWarningsNotRetries(@TempDir Path home) throws Exception {
        try (PipelineFixture f = new PipelineFixture(home, Map.of())) {
            String blog = "A Post About Sparse Attention\nTeaser text.\nJanuary 3, 2025 · 99999999999 min · Ann\n";
            FileOutcome a = f.pipeline.process(f.claim("minutes.txt", blog.getBytes(StandardCharsets.UTF_8)), "minutes.txt", Instant.now());
            assertThat(a).isInstanceOf(FileOutcome.Processed.class);
            String papers = "Daily Papers\nFeb 30\nA Paper On Retrieval\nAn abstract.\n• 99999999999 authors\n·\nFeb 27 99999999999\n";
            FileOutcome b = f.pipeline.process(f.claim("feb30.txt", papers.getBytes(StandardCharsets.UTF_8)), "feb30.txt", Instant.now());
            assertThat(b).isInstanceOf(FileOutcome.Processed.class);
            assertThat(((FileOutcome.Processed) b).warnings()).isGreaterThanOrEqualTo(3);
            String hub = "A Hub\nAbout things.\nTopic Hub · 99999999999 linked notes · 1 sections\nSection\n99999999999 notes\nA note?\nIts text.\nExplore related Read →\n";
            FileOutcome c = f.pipeline.process(f.claim("hub.txt", hub.getBytes(StandardCharsets.UTF_8)), "hub.txt", Instant.now());
            assertThat(c).isInstanceOf(FileOutcome.Processed.class);
        }
    }

    private static DigestParser throwing(Throwable t) {
        return new DigestParser() {
            @Override
            public String format() {
                return "test-format";
            }

            @Override
            public boolean sniff(DigestText text) {
                return true;
            }

            @Override
            public ParseResult parse(DigestText text) {
                if (t instanceof RuntimeException r) {
                    throw r;
                }
                throw (Error) t;
            }
        };
    }

    private static boolean sameBytes(Path p, byte[] expected) {
        try {
            return java.util.Arrays.equals(Files.readAllBytes(p), expected);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
