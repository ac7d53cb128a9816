package dev.digestflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.Normalizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
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

/**
 * Every kind of hostile or broken input the reliability issue lists, dropped into one running
 * service on the real broker and registry: each must end in processed/ or failed/ with a specific
 * reason (or, for a file that vanishes, nowhere, with the service unharmed), and a good file after
 * all of them must still go through. The outcome table goes to target/hostile-input.md.
 */
@ExtendWith(TestStackExtension.class)
class HostileInputIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final long LIMIT = 16L * 1024 * 1024;

    /** What a case must end as: a status and a phrase of the reason (failed) or an item count (processed, -1 = any). */
    private record Expect(FileStatus status, String reason, int items) {
        static Expect failed(String reason) {
            return new Expect(FileStatus.FAILED, reason, 0);
        }

        static Expect processed(int items) {
            return new Expect(FileStatus.PROCESSED, null, items);
        }

        static Expect skipped(String reason) {
            return new Expect(FileStatus.SKIPPED, reason, 0);
        }
    }

    private record Case(String kind, String name, Expect expect) {
    }

    @Test
    void everyHostileInputEndsInProcessedOrFailedWithItsReason(TestStack stack, TestNames names, @TempDir Path dir) throws Exception {
        IngestHarness h = new IngestHarness(stack, names, dir, "hostile");
        Map<String, Object> settings = h.settings("a");
        settings.put(IngestConfig.MAX_FILE_BYTES, LIMIT);
        byte[] blog = Fixtures.bytes("samples/000_545bdede27ca3e01.txt");
        byte[] papers = Fixtures.bytes("samples/003_19fcee2af990f575.txt");
        byte[] hub = Fixtures.bytes("samples/004_daa9faf00548796a.txt");
        byte[] rss = Fixtures.bytes("fixtures/rss2-basic.xml");
        byte[] atom = Fixtures.bytes("fixtures/atom-basic.xml");
        byte[] feed = Fixtures.bytes("fixtures/feed.json");
        byte[] lines = Fixtures.bytes("fixtures/items.jsonl");
        byte[] md = Fixtures.bytes("fixtures/newsletter.md");
        Path secret = Files.writeString(dir.resolve("outside-secret.txt"), "TOP-SECRET-CONTENT\n");

        List<Case> cases = new ArrayList<>();
        try (IngestService service = h.start(settings)) {
            cases.add(drop(h, "empty file", "empty.txt", new byte[0], Expect.failed("the file is empty")));
            cases.add(drop(h, "whitespace only", "blank.txt", " \n\t\r\n  \n".getBytes(StandardCharsets.UTF_8), Expect.failed("only whitespace")));
            cases.add(drop(h, "binary file (PNG)", "image.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13},
                    Expect.failed("binary content")));
            cases.add(drop(h, "NUL bytes in text", "nul.txt", "Daily Papers\n\0\0\0 more".getBytes(StandardCharsets.UTF_8),
                    Expect.failed("NUL byte at byte offset 13")));
            cases.add(drop(h, "invalid UTF-8 (Latin-1)", "latin1.txt", "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1),
                    Expect.failed("invalid UTF-8 at byte offset 3")));
            cases.add(drop(h, "UTF-16 with a BOM", "utf16.md", utf16WithBom(new String(md, StandardCharsets.UTF_8)), Expect.processed(4)));
            cases.add(sparse(h, "a 200 MB file", "huge.txt", 200L * 1024 * 1024, Expect.failed("over the limit of " + LIMIT + " bytes")));
            cases.add(drop(h, "exactly at the size limit", "at-limit.txt", padTo(blog, LIMIT), Expect.processed(10)));
            cases.add(drop(h, "one byte over the size limit", "over-limit.txt", padTo(blog, LIMIT + 1), Expect.failed("over the limit")));
            cases.add(drop(h, "truncated blog listing", "cut-blog.txt", half(blog), Expect.processed(4)));
            cases.add(drop(h, "truncated daily papers", "cut-papers.txt", half(papers), Expect.processed(24)));
            cases.add(drop(h, "truncated topic hub", "cut-hub.txt", half(hub), Expect.processed(15)));
            cases.add(drop(h, "truncated RSS", "cut.rss.xml", half(rss), Expect.failed("not a readable RSS feed")));
            cases.add(drop(h, "truncated Atom", "cut.atom.xml", half(atom), Expect.failed("not a readable ATOM feed")));
            cases.add(drop(h, "truncated JSON Feed", "cut-feed.json", half(feed), Expect.failed("invalid JSON: Unexpected end-of-input")));
            cases.add(drop(h, "truncated JSON lines", "cut.jsonl", Fixtures.bytes("fixtures/items-truncated.jsonl"), Expect.failed("line is not valid JSON")));
            cases.add(drop(h, "truncated Markdown", "cut.md", half(md), Expect.processed(1)));
            cases.add(drop(h, "an HTML page", "page.html", "<!DOCTYPE html>\n<html><body><h1>Blog</h1><p>hi</p></body></html>".getBytes(StandardCharsets.UTF_8),
                    Expect.failed("HTML page")));
            cases.add(drop(h, "XML that is not RSS", "config.xml", "<?xml version=\"1.0\"?>\n<config><port>80</port></config>\n".getBytes(StandardCharsets.UTF_8),
                    Expect.failed("not an RSS or Atom feed")));
            cases.add(drop(h, "XML billion laughs", "laughs.xml", Fixtures.bytes("fixtures/billion-laughs.xml"), Expect.failed("DOCTYPE is disallowed")));
            cases.add(drop(h, "XML external entity (XXE) to a local file", "xxe.xml", xxe(secret), Expect.failed("DOCTYPE is disallowed")));
            cases.add(drop(h, "deeply nested JSON", "nested.json", ("{\"items\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}").getBytes(StandardCharsets.UTF_8),
                    Expect.failed("not a recognized digest format")));
            cases.add(drop(h, "a 10 MB single line", "one-line.txt", "x".repeat(10 * 1024 * 1024).getBytes(StandardCharsets.UTF_8),
                    Expect.failed("not a recognized digest format")));
            Files.createDirectory(h.inbox.resolve("folder.txt"));
            cases.add(new Case("a directory with a file-like name", "folder.txt", Expect.failed("is a directory")));
            Files.createSymbolicLink(h.inbox.resolve("link.txt"), secret);
            cases.add(new Case("a symlink out of the inbox", "link.txt", Expect.failed("points outside the inbox")));
            cases.add(unreadable(h, dir, blog));
            cases.add(slowly(h, "written slowly in chunks", "slow.txt", papers, Expect.processed(48)));
            cases.add(drop(h, "name with spaces", "my weekly digest.txt", blog, Expect.processed(10)));
            cases.add(drop(h, "name with unicode", "d\u00e9p\u00eache-\u6587\u6458-\ud83d\udcf0.md", md, Expect.processed(4)));
            cases.add(drop(h, "name with a newline", "two\nlines.jsonl", lines, Expect.processed(3)));
            cases.add(drop(h, "the same file twice", "blog-again.txt", blog, Expect.skipped("same content")));
            String nfc = "{\"title\": \"Caf\u00e9 Agents \uff21\uff29 Planning\", \"summary\": \"x\"}\n";
            cases.add(drop(h, "same item, NFC title", "nfc.jsonl", nfc.getBytes(StandardCharsets.UTF_8), Expect.processed(1)));
            cases.add(drop(h, "same item, NFD and ASCII title", "nfd.jsonl", Normalizer.normalize(nfc.replace("\uff21\uff29", "AI"), Normalizer.Form.NFD)
                    .getBytes(StandardCharsets.UTF_8), Expect.processed(1)));
            // Kinds found by the review after the first 35: each stopped ingestion or lost data before.
            cases.add(drop(h, "Markdown entry then 200,000 ':' (regex stack overflow)", "colons.md",
                    ("- [t](http://u) " + ":".repeat(200_000) + "\n").getBytes(StandardCharsets.UTF_8), Expect.processed(1)));
            cases.add(drop(h, "Markdown '- ' then 20,000 '[' (quadratic link scan)", "brackets.md",
                    ("- " + "[".repeat(20_000) + "\n").getBytes(StandardCharsets.UTF_8), Expect.failed("not a recognized digest format")));
            cases.add(drop(h, "Markdown entry then 512 KB of '<' (quadratic inline HTML scan)", "angles.md",
                    ("- [t](http://u) " + "<".repeat(1 << 19) + "\n").getBytes(StandardCharsets.UTF_8), Expect.processed(1)));
            cases.add(drop(h, "RSS description of 1 MB of '<' (quadratic tag strip)", "angles.rss.xml",
                    ("<rss version=\"2.0\"><channel><title>t</title><item><title>Angles Everywhere</title><description>" + "&lt;".repeat(1 << 18)
                            + "</description></item></channel></rss>\n").getBytes(StandardCharsets.UTF_8), Expect.processed(1)));
            cases.add(drop(h, "read time that does not fit an int", "minutes.txt",
                    "A Post About Sparse Attention\nTeaser.\nJanuary 3, 2025 · 99999999999 min · Ann\n".getBytes(StandardCharsets.UTF_8), Expect.processed(1)));
            cases.add(drop(h, "digest date Feb 30, author and upvote counts over int range", "feb30.txt",
                    "Daily Papers\nFeb 30\nA Paper On Retrieval At Scale\nAbstract.\n• 99999999999 authors\n·\nFeb 27 99999999999\n".getBytes(StandardCharsets.UTF_8),
                    Expect.processed(1)));
            cases.add(drop(h, "topic hub counts over int range", "hub-counts.txt",
                    ("Hub\nAbout.\nTopic Hub · 99999999999 linked notes · 99999999999 sections\nSection\n99999999999 notes\nWhat Is Routing In Mixtures?\n"
                            + "Text.\nExplore related Read →\n").getBytes(StandardCharsets.UTF_8), Expect.processed(1)));
            cases.add(drop(h, "an item of 2 MB, over Kafka's max.request.size", "huge-item.jsonl",
                    ("{\"title\": \"A Very Long Summary\", \"summary\": \"" + "y".repeat(2 << 20) + "\"}\n{\"title\": \"A Short One\"}\n")
                            .getBytes(StandardCharsets.UTF_8), Expect.failed("over the producer's max.request.size")));
            cases.add(drop(h, "an item of 900 KB, under Kafka's max.request.size", "large-item.jsonl",
                    ("{\"title\": \"A Long But Acceptable Summary\", \"summary\": \"" + "z".repeat(900 * 1024) + "\"}\n").getBytes(StandardCharsets.UTF_8),
                    Expect.processed(1)));
            byte[] pausedContent = padTo(blog, blog.length + 11); // not the same bytes as the other blog copies
            cases.add(pausedWriter(h, "paused 1.5 x the quiet period mid-write", "paused.txt", pausedContent, Expect.processed(10)));
            dropLikeAReasonFile(h);
            renamedMidway(h, blog);
            deletedMidway(h, hub);

            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200)).until(() -> lastEvents(h).keySet().containsAll(
                    cases.stream().map(Case::name).toList()) && (lastEvents(h).containsKey("renamed-after.txt") || lastEvents(h).containsKey("renamed-before.txt"))
                    && lastEvents(h).containsKey("x") && lastEvents(h).containsKey("x.error.txt"));
            // Still alive: a good file after all the bad ones.
            h.drop("good.md", "# Issue 2\n\n## A Fresh Finding About Sparse Attention\n\nText.\n".getBytes(StandardCharsets.UTF_8));
            await().atMost(DEADLINE).until(() -> lastEvents(h).containsKey("good.md"));
            assertThat(service.healthy()).isTrue();
        }

        Map<String, FileEvent> events = lastEvents(h);
        StringBuilder table = new StringBuilder("| # | input kind | file | outcome | reason or items |\n|---:|---|---|---|---|\n");
        int n = 0;
        for (Case c : cases) {
            FileEvent e = events.get(c.name());
            String outcome = e == null ? "no event" : e.getStatus().toString().toLowerCase(Locale.ROOT);
            String detail = e == null ? "" : e.getStatus() == FileStatus.PROCESSED ? e.getItemCount() + " items, " + e.getWarningCount() + " warnings"
                    : firstLine(String.valueOf(e.getError()));
            table.append(String.format(Locale.ROOT, "| %d | %s | `%s` | %s | %s |%n", ++n, c.kind(), c.name().replace("\n", "\\n"), outcome,
                    detail.replace("|", "\\|")));
        }
        String renamed = events.containsKey("renamed-after.txt") ? "renamed-after.txt" : "renamed-before.txt";
        table.append(String.format(Locale.ROOT, "| %d | renamed right after the drop | `renamed-before.txt` -> `renamed-after.txt` | %s | %s |%n", ++n,
                events.containsKey(renamed) ? events.get(renamed).getStatus().toString().toLowerCase(Locale.ROOT) : "missing",
                renamed.equals("renamed-after.txt") ? "processed under its new name" : "claimed before the rename landed, processed under its first name"));
        table.append(String.format(Locale.ROOT, "| %d | deleted right after the drop | `vanishing.txt` | %s | no file left to keep; the service carries on |%n", ++n,
                events.containsKey("vanishing.txt") ? events.get("vanishing.txt").getStatus().toString().toLowerCase(Locale.ROOT) : "gone"));
        FileEvent userReasonLike = events.get("x.error.txt");
        FileEvent x = events.get("x");
        boolean bothKept = userReasonLike != null && x != null && Files.exists(Path.of(userReasonLike.getPath())) && Files.exists(Path.of(x.getPath()))
                && Files.readString(Path.of(userReasonLike.getPath())).equals("USER TEXT\n") && Files.readString(Path.of(x.getPath())).equals("X TEXT\n");
        table.append(String.format(Locale.ROOT, "| %d | a rejected file named like a reason file, then the file it names | `x.error.txt`, then `x` | %s | %s |%n", ++n,
                bothKept ? "failed, both kept" : "lost one", bothKept ? "each in failed/ with its own reason; neither replaced the other" : "overwritten"));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "hostile-input.md"), table.toString());
        System.out.print(table);

        for (Case c : cases) {
            FileEvent e = events.get(c.name());
            assertThat(e).as(c.kind()).isNotNull();
            assertThat(e.getStatus()).as(c.kind() + ": " + e.getError()).isEqualTo(c.expect().status());
            if (c.expect().reason() != null) {
                assertThat(String.valueOf(e.getError())).as(c.kind()).contains(c.expect().reason());
            }
            if (c.expect().status() == FileStatus.PROCESSED && c.expect().items() >= 0) {
                assertThat(e.getItemCount()).as(c.kind()).isEqualTo(c.expect().items());
            }
            Path where = c.expect().status() == FileStatus.FAILED ? h.failed.resolve(c.name()) : null;
            if (where != null) {
                assertThat(where).as(c.kind() + " kept in failed/").exists();
                assertThat(h.errorFile(c.name())).as(c.kind() + " reason file").content().contains(c.expect().reason());
            }
        }
        assertThat(n).isGreaterThanOrEqualTo(45);
        assertThat(bothKept).as("x.error.txt and x both kept in failed/ with their own content").isTrue();
        assertThat(events.get(renamed)).as("the renamed file").isNotNull().extracting(FileEvent::getStatus).isEqualTo(FileStatus.PROCESSED);
        assertThat(Files.readString(secret)).isEqualTo("TOP-SECRET-CONTENT\n");
        List<DigestItem> items = h.<DigestItem>readAll(h.itemsTopic, DigestItem.class).stream().map(r -> r.value()).toList();
        FileEvent paused = events.get("paused.txt");
        assertThat(Path.of(paused.getPath())).as("processed/ holds the whole paused file").hasBinaryContent(padTo(blog, blog.length + 11));
        assertThat(items.stream().filter(i -> i.getSource().getFile().equals("paused.txt")).map(DigestItem::getItemId).distinct())
                .as("the paused file's items: exactly the full file's").hasSize(10);
        assertThat(items).as("no event carries the content of the file outside the inbox")
                .noneMatch(i -> String.valueOf(i).contains("TOP-SECRET-CONTENT"));
        Map<String, String> idsByFile = items.stream().filter(i -> i.getSource().getFile().endsWith(".jsonl") && i.getSource().getFile().startsWith("nf"))
                .collect(Collectors.toMap(i -> i.getSource().getFile(), DigestItem::getItemId, (a, b) -> a, LinkedHashMap::new));
        assertThat(idsByFile).as("one item id for the Unicode forms of one title").hasSize(2);
        assertThat(new java.util.HashSet<>(idsByFile.values())).hasSize(1);
    }

    private static Case drop(IngestHarness h, String kind, String name, byte[] content, Expect expect) throws IOException {
        h.drop(name, content);
        return new Case(kind, name, expect);
    }

    /** A sparse file: 200 MB long without writing 200 MB, refused by size before any read. */
    private static Case sparse(IngestHarness h, String kind, String name, long size, Expect expect) throws IOException {
        Path staging = Files.createDirectories(h.home.resolve("staging")).resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(staging.toFile(), "rw")) {
            f.setLength(size);
        }
        Files.move(staging, h.inbox.resolve(name));
        return new Case(kind, name, expect);
    }

    /**
     * Permissions only bind a non-root user: as root (CI here) the file is readable and is processed
     * like any other; otherwise it must fail with a reason naming the read error.
     */
    private static Case unreadable(IngestHarness h, Path dir, byte[] content) throws IOException {
        Path staging = Files.createDirectories(h.home.resolve("staging")).resolve("locked.md");
        Files.write(staging, ("# Locked\n\n## Permissions Are Respected By The Inbox Scanner\n\nText.\n").getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("---------"));
        boolean root = Files.isReadable(staging);
        Files.move(staging, h.inbox.resolve("locked.md"));
        return new Case("an unreadable file (mode 000)" + (root ? ", as root" : ""), "locked.md",
                root ? Expect.processed(1) : Expect.failed("cannot read"));
    }

    private static Case slowly(IngestHarness h, String kind, String name, byte[] content, Expect expect) throws Exception {
        Path target = h.inbox.resolve(name);
        int chunk = content.length / 5 + 1;
        // Chunks 150 ms apart, shorter than the 300 ms quiet period: the scanner must wait for the end.
        java.util.concurrent.ScheduledExecutorService writer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            List<java.util.concurrent.ScheduledFuture<Object>> chunks = new ArrayList<>();
            for (int i = 0, k = 0; i < content.length; i += chunk, k++) {
                int from = i;
                chunks.add(writer.schedule(() -> {
                    out.write(content, from, Math.min(chunk, content.length - from));
                    out.flush();
                    return null;
                }, k * 150L, java.util.concurrent.TimeUnit.MILLISECONDS));
            }
            for (var c : chunks) {
                c.get(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            writer.shutdown();
        }
        return new Case(kind, name, expect);
    }

    /**
     * A writer that pauses for 1.5 x the quiet period (as network copies do) after writing the first
     * half at a line boundary: the half is claimed and published, then the rest is written into the
     * claimed file; the re-check before done must see it and process the file again as a whole.
     */
    private static Case pausedWriter(IngestHarness h, String kind, String name, byte[] content, Expect expect) throws Exception {
        String full = new String(content, StandardCharsets.UTF_8);
        int cut = full.indexOf('\n', full.length() / 2) + 1;
        Path target = h.inbox.resolve(name);
        OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW);
        out.write(full.substring(0, cut).getBytes(StandardCharsets.UTF_8));
        out.flush();
        java.util.concurrent.ScheduledExecutorService writer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            writer.schedule(() -> {
                out.write(full.substring(cut).getBytes(StandardCharsets.UTF_8));
                out.close();
                return null;
            }, 450, java.util.concurrent.TimeUnit.MILLISECONDS).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            writer.shutdown();
        }
        return new Case(kind, name, expect);
    }

    /** A user's file named x.error.txt is rejected, then a file named x: neither may replace the other. */
    private static void dropLikeAReasonFile(IngestHarness h) throws Exception {
        h.drop("x.error.txt", "USER TEXT\n".getBytes(StandardCharsets.UTF_8));
        await().atMost(DEADLINE).until(() -> lastEvents(h).containsKey("x.error.txt"));
        h.drop("x", "X TEXT\n".getBytes(StandardCharsets.UTF_8));
    }

    private static void renamedMidway(IngestHarness h, byte[] blog) throws IOException {
        Path staging = Files.createDirectories(h.home.resolve("staging")).resolve("renamed-before.txt");
        Files.write(staging, padTo(blog, blog.length + 7)); // different bytes from the other blog copies
        Path in = Files.move(staging, h.inbox.resolve("renamed-before.txt"));
        try {
            Files.move(in, h.inbox.resolve("renamed-after.txt"));
        } catch (java.nio.file.NoSuchFileException claimedFirst) {
            // The service claimed it under its first name before the rename: also a correct outcome.
        }
    }

    private static void deletedMidway(IngestHarness h, byte[] hub) throws IOException {
        Path in = h.drop("vanishing.txt", padTo(hub, hub.length + 3));
        Files.deleteIfExists(in);
    }

    private static Map<String, FileEvent> lastEvents(IngestHarness h) {
        Map<String, FileEvent> last = new LinkedHashMap<>();
        h.<FileEvent>readAll(h.filesTopic, FileEvent.class).forEach(r -> last.put(r.value().getFileName(), r.value()));
        return last;
    }

    private static byte[] half(byte[] b) {
        return java.util.Arrays.copyOf(b, b.length / 2);
    }

    /** The content followed by newlines up to exactly {@code size} bytes. */
    private static byte[] padTo(byte[] content, long size) {
        byte[] out = java.util.Arrays.copyOf(content, (int) size);
        java.util.Arrays.fill(out, content.length, out.length, (byte) '\n');
        return out;
    }

    private static byte[] utf16WithBom(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_16LE);
        byte[] out = new byte[body.length + 2];
        out[0] = (byte) 0xFF;
        out[1] = (byte) 0xFE;
        System.arraycopy(body, 0, out, 2, body.length);
        return out;
    }

    private static byte[] xxe(Path secret) {
        return ("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM \"file://" + secret + "\">]>\n<rss version=\"2.0\"><channel><title>t</title>"
                + "<item><title>&x;</title></item></channel></rss>\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 140 ? line.substring(0, 140) + "..." : line;
    }
}
