package dev.digestflow.ingest.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names never become paths outside the configured folders, and no move ever replaces a file. */
class FoldersTest {

    private static final LocalDate DAY = LocalDate.of(2026, 1, 1);

    @Test
    void hostileNamesStayInsideProcessedAndFailed(@TempDir Path root) throws Exception {
        Folders folders = new Folders(Files.createDirectories(root.resolve("inbox")), root.resolve("processed"), root.resolve("failed"), "a");
        String[] names = {"../../escape.txt", "/etc/passwd", "..", ".", "a/../../b.txt", "sub/dir/file.txt"};
        for (String name : names) {
            Path file = Files.writeString(root.resolve("inbox").resolve("x" + Math.abs(name.hashCode())), name);
            Path done = name.hashCode() % 2 == 0 ? folders.moveToProcessed(file, name, DAY)
                    : folders.moveToFailed(file, name, "reason");
            assertThat(done.normalize()).as(name).satisfiesAnyOf(
                    p -> assertThat(p).startsWith(root.resolve("processed")),
                    p -> assertThat(p).startsWith(root.resolve("failed")));
            assertThat(Files.readString(done)).isEqualTo(name);
        }
        try (var all = Files.walk(root)) {
            assertThat(all.filter(Files::isRegularFile).map(root::relativize).map(Path::toString))
                    .allSatisfy(p -> assertThat(p).matches("(processed/2026-01-01|failed)/.*"));
        }
        assertThat(root.getParent().resolve("escape.txt")).doesNotExist();
    }

    /**
     * Two instances finishing same-named files at the same moment: with "check, then rename" both
     * see the name free and the second rename replaces the first file. Every file must survive.
     */
    @ParameterizedTest
    @ValueSource(strings = {"processed", "failed"})
    void twoThreadsMovingAHundredSameNamedFilesAtOnceKeepEveryOne(String into, @TempDir Path root) throws Exception {
        Folders a = new Folders(Files.createDirectories(root.resolve("inbox")), root.resolve("processed"), root.resolve("failed"), "a");
        Folders b = new Folders(root.resolve("inbox"), root.resolve("processed"), root.resolve("failed"), "b");
        List<String> contents = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            contents.add("file number " + i + "\n");
            sources.add(Files.writeString(Files.createDirectories(root.resolve("src" + i)).resolve("same.txt"), contents.get(i)));
        }
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Folders folders = t == 0 ? a : b;
                int first = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = first; i < 100; i += 2) {
                        if (into.equals("processed")) {
                            folders.moveToProcessed(sources.get(i), "same.txt", DAY);
                        } else {
                            folders.moveToFailed(sources.get(i), "same.txt", "reason " + i);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Path dir = into.equals("processed") ? root.resolve("processed").resolve(DAY.toString()) : root.resolve("failed");
        List<String> kept = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> !p.getFileName().toString().endsWith(Folders.REASON_SUFFIX)).toList()) {
                kept.add(Files.readString(p));
            }
        }
        assertThat(kept).containsExactlyInAnyOrderElementsOf(contents);
        if (into.equals("failed")) {
            try (Stream<Path> s = Files.list(dir)) {
                assertThat(s.filter(p -> p.getFileName().toString().endsWith(Folders.REASON_SUFFIX))).hasSize(100);
            }
        }
    }

    @Test
    void aRejectedFileNamedLikeAReasonFileAndTheFileItNamesBothSurvive(@TempDir Path root) throws Exception {
        Folders folders = new Folders(Files.createDirectories(root.resolve("inbox")), root.resolve("processed"), root.resolve("failed"), "a");
        Path userFile = Files.writeString(root.resolve("inbox").resolve("x.error.txt"), "the user's own text");
        Path first = folders.moveToFailed(userFile, "x.error.txt", "reason for the user's x.error.txt");
        Path x = Files.writeString(root.resolve("inbox").resolve("x"), "x's content");
        Path second = folders.moveToFailed(x, "x", "reason for x");
        assertThat(first).hasContent("the user's own text");
        assertThat(Folders.reasonFileOf(first)).hasContent("reason for the user's x.error.txt");
        assertThat(second).hasContent("x's content");
        assertThat(Folders.reasonFileOf(second)).hasContent("reason for x");
        try (Stream<Path> s = Files.list(root.resolve("failed"))) {
            assertThat(s).hasSize(4);
        }
    }

    /**
     * processed/ on another file system than the inbox (docker-compose mounts them apart): a real one,
     * /dev/shm (tmpfs), beside a temporary folder on the disk. The copy must arrive whole under its
     * name, never replace a file there, and leave no temporary behind.
     */
    @Test
    void aMoveAcrossFileSystemsArrivesWholeAndNeverReplaces(@TempDir Path root) throws Exception {
        Path shm = Path.of("/dev/shm");
        assertThat(shm).as("this test needs /dev/shm, a second file system").isDirectory();
        Path other = Files.createTempDirectory(shm, "digestflow-folders-test");
        try {
            FileStore inboxStore = Files.getFileStore(root);
            assertThat(Files.getFileStore(other)).as("/dev/shm must be another file system than " + root).isNotEqualTo(inboxStore);
            Folders folders = new Folders(Files.createDirectories(root.resolve("inbox")), other.resolve("processed"), other.resolve("failed"), "a");
            byte[] content = "x".repeat(300_000).getBytes(StandardCharsets.UTF_8);
            Path one = folders.moveToProcessed(Files.write(root.resolve("inbox").resolve("one.txt"), content), "d.txt", DAY);
            Path two = folders.moveToProcessed(Files.write(root.resolve("inbox").resolve("two.txt"), "other".getBytes(StandardCharsets.UTF_8)), "d.txt", DAY);
            Path failed = folders.moveToFailed(Files.writeString(root.resolve("inbox").resolve("bad.txt"), "bad"), "bad.txt", "why");
            assertThat(Files.readAllBytes(one)).isEqualTo(content);
            assertThat(two).hasContent("other").isNotEqualTo(one);
            assertThat(failed).hasContent("bad");
            assertThat(Folders.reasonFileOf(failed)).hasContent("why");
            try (Stream<Path> s = Files.list(root.resolve("inbox"))) {
                assertThat(s.filter(Files::isRegularFile)).as("sources removed").isEmpty();
            }
            try (Stream<Path> s = Files.walk(other)) {
                assertThat(s.map(p -> p.getFileName().toString())).as("no temporary left").noneMatch(n -> n.startsWith(".digestflow-incoming-"));
            }
        } finally {
            try (Stream<Path> s = Files.walk(other)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
