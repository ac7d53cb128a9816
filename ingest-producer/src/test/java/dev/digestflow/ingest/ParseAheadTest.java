package dev.digestflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.ingest.file.FilePipeline;
import dev.digestflow.ingest.file.PipelineFixture;
import dev.digestflow.ingest.file.RecordingPublisher;
import dev.digestflow.ingest.ops.IngestMetrics;
import dev.digestflow.ingest.parse.DigestParseException;
import dev.digestflow.ingest.parse.DigestParser;
import dev.digestflow.ingest.parse.DigestText;
import dev.digestflow.ingest.parse.Fixtures;
import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParserRegistry;
import dev.digestflow.ingest.parse.format.BlogListingParser;
import dev.digestflow.ingest.parse.format.MarkdownNewsletterParser;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.FileEvent;
import dev.digestflow.schema.FileStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * {@code parse.ahead.files}: files read and parsed on a pool while the worker publishes, with the
 * same outcomes as one file at a time, publishing still one file at a time in order, and a stop that
 * leaves the files whose turn had not come claimed for the next start.
 */
class ParseAheadTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final byte[] BLOG = Fixtures.bytes("samples/000_545bdede27ca3e01.txt");

    /** Markdown parsed by the real parser, recording which thread parsed; "slow" files wait for a latch first. */
    private static final class WatchedMarkdown implements DigestParser {
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final CountDownLatch slowStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final MarkdownNewsletterParser markdown = new MarkdownNewsletterParser();

        @Override
        public String format() {
            return markdown.format();
        }

        @Override
        public boolean sniff(DigestText text) {
            return markdown.sniff(text);
        }

        @Override
        public ParseResult parse(DigestText text) throws DigestParseException {
            threads.add(Thread.currentThread().getName());
            if (text.fileName().contains("slow")) {
                slowStarted.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return markdown.parse(text);
        }
    }

    private static IngestService service(Path home, int ahead, RecordingPublisher publisher, DigestParser markdown) throws Exception {
        Map<String, Object> settings = new HashMap<>(PipelineFixture.settings(home, Map.of(IngestConfig.PARSE_AHEAD_FILES, ahead)));
        settings.put(IngestConfig.INSTANCE_ID, "a");
        // The blog-listing parser for blog.txt; the watched Markdown parser last, as in the defaults.
        ParserRegistry parsers = new ParserRegistry(List.of(new BlogListingParser(), markdown));
        return new IngestService(new IngestConfig(settings), new IngestMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), publisher, parsers,
                FilePipeline.StepHook.NONE);
    }

    private static void drop(Path home, String name, byte[] content) throws Exception {
        Path staging = Files.createDirectories(home.resolve("staging")).resolve(name);
        Files.write(staging, content);
        Files.setLastModifiedTime(staging, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Files.move(staging, Files.createDirectories(home.resolve("inbox")).resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] markdown(String heading) {
        return ("# Issue\n\n## " + heading + "\n\nText about it.\n").getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "parse.ahead.files={0}")
    @ValueSource(ints = {0, 1, 3})
    void aBatchEndsAsOneFileAtATimeWouldWithEachFilesItemsPublishedTogether(int ahead, @TempDir Path home) throws Exception {
        for (int i = 0; i < 12; i++) {
            drop(home, "distinct-" + i + ".md", markdown("Finding number " + i + " about sparse attention"));
        }
        for (int i = 0; i < 4; i++) {
            drop(home, "copy-" + i + ".md", markdown("The same finding, dropped four times"));
        }
        drop(home, "empty.md", new byte[0]);
        drop(home, "binary.md", new byte[] {0, 1, 2, (byte) 0xff, 0, 0, 7});
        drop(home, "blog.txt", BLOG);
        RecordingPublisher publisher = new RecordingPublisher();
        WatchedMarkdown markdown = new WatchedMarkdown();
        markdown.release.countDown();
        try (IngestService service = service(home, ahead, publisher, markdown)) {
            service.start();
            await().atMost(DEADLINE).until(() -> publisher.events().size() == 19);
        }

        Map<String, List<FileStatus>> byFile = publisher.events().stream()
                .collect(Collectors.groupingBy(FileEvent::getFileName, Collectors.mapping(FileEvent::getStatus, Collectors.toList())));
        assertThat(byFile).hasSize(19).allSatisfy((file, statuses) -> assertThat(statuses).as(file).hasSize(1));
        assertThat(byFile.entrySet().stream().filter(e -> e.getKey().startsWith("copy-")).map(e -> e.getValue().get(0)))
                .as("identical files in one batch: the first is processed, the others found its hash").containsExactlyInAnyOrder(
                        FileStatus.PROCESSED, FileStatus.SKIPPED, FileStatus.SKIPPED, FileStatus.SKIPPED);
        assertThat(byFile.get("empty.md")).containsExactly(FileStatus.FAILED);
        assertThat(byFile.get("binary.md")).containsExactly(FileStatus.FAILED);
        assertThat(byFile.get("blog.txt")).containsExactly(FileStatus.PROCESSED);

        List<DigestItem> items = publisher.items();
        long blogItems = items.stream().filter(i -> i.getSource().getFile().equals("blog.txt")).count();
        assertThat(blogItems).isPositive();
        assertThat(items).hasSize(12 + 1 + (int) blogItems);
        // One file at a time: a file's items are one run, never interleaved with another file's.
        List<String> runs = new ArrayList<>();
        items.stream().map(i -> i.getSource().getFile()).forEach(f -> {
            if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(f)) {
                runs.add(f);
            }
        });
        assertThat(runs).doesNotHaveDuplicates();
        assertThat(markdown.threads).as("where files were parsed").allMatch(ahead == 0 ? t -> t.equals("ingest-a") : t -> t.startsWith("ingest-a-parse-"));
        assertThat(home.resolve("inbox/.claimed/a")).isEmptyDirectory();
    }

    /** An entry that fails after files were claimed ahead (here a link gone before its turn) must not strand them until a restart. */
    @Test
    void filesClaimedAheadAreFinishedWhenALaterEntryFails(@TempDir Path home) throws Exception {
        drop(home, "a-slow.md", markdown("A finding that takes a while to parse"));
        drop(home, "b.md", markdown("A finding claimed while the first one parses"));
        // The inbox is taken oldest first: a-slow.md, b.md, then the link (its own mtime is now).
        Files.setLastModifiedTime(home.resolve("inbox/a-slow.md"), FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        Files.setLastModifiedTime(home.resolve("inbox/b.md"), FileTime.fromMillis(System.currentTimeMillis() - 90_000));
        Path target = Files.writeString(home.resolve("outside.md"), "# Outside\n\n## Not to be read\n\nText.\n");
        Path link = Files.createSymbolicLink(home.resolve("inbox/z-link.md"), target);
        RecordingPublisher publisher = new RecordingPublisher();
        WatchedMarkdown blocked = new WatchedMarkdown();
        try (IngestService service = service(home, 1, publisher, blocked)) {
            service.start();
            assertThat(blocked.slowStarted.await(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            // a-slow.md is being completed, b.md is claimed ahead, and the link, next in this scan, vanishes before its turn.
            Files.delete(link);
            blocked.release.countDown();
            await().atMost(DEADLINE).until(() -> publisher.events().size() == 2);
        }
        assertThat(publisher.events()).extracting(FileEvent::getFileName).containsExactly("a-slow.md", "b.md");
        assertThat(publisher.events()).extracting(FileEvent::getStatus).containsOnly(FileStatus.PROCESSED);
        assertThat(home.resolve("inbox/.claimed/a")).isEmptyDirectory();
    }

    @Test
    void aStopWhileFilesAreParsedAheadLeavesThemClaimedAndTheNextStartProcessesThem(@TempDir Path home) throws Exception {
        drop(home, "slow-1.md", markdown("A finding that takes a while to parse"));
        drop(home, "slow-2.md", markdown("Another finding behind it"));
        RecordingPublisher publisher = new RecordingPublisher();
        WatchedMarkdown blocked = new WatchedMarkdown();
        IngestService service = service(home, 2, publisher, blocked);
        service.start();
        assertThat(blocked.slowStarted.await(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        long stopStart = System.nanoTime();
        service.close();
        Duration stop = Duration.ofNanos(System.nanoTime() - stopStart);
        blocked.release.countDown();

        assertThat(stop).as("the stop does not wait for a parse in progress").isLessThan(Duration.ofSeconds(10));
        assertThat(publisher.events()).isEmpty();
        assertThat(publisher.items()).isEmpty();
        assertThat(home.resolve("inbox/.claimed/a/slow-1.md")).exists();
        assertThat(home.resolve("inbox/.claimed/a/slow-2.md")).exists();

        WatchedMarkdown free = new WatchedMarkdown();
        free.release.countDown();
        try (IngestService next = service(home, 2, publisher, free)) {
            next.start();
            await().atMost(DEADLINE).until(() -> publisher.events().size() == 2);
        }
        assertThat(publisher.events()).extracting(FileEvent::getStatus).containsOnly(FileStatus.PROCESSED);
        assertThat(publisher.items()).extracting(i -> i.getSource().getFile()).containsExactlyInAnyOrder("slow-1.md", "slow-2.md");
    }
}
