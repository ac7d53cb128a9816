package dev.digestflow.ingest.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names never become paths outside the configured folders, whatever they contain. */
class FoldersTest {

    @Test
    void hostileNamesStayInsideProcessedAndFailed(@TempDir Path root) throws Exception {
        Folders folders = new Folders(Files.createDirectories(root.resolve("inbox")), root.resolve("processed"), root.resolve("failed"), "a");
        String[] names = {"../../escape.txt", "/etc/passwd", "..", ".", "a/../../b.txt", "sub/dir/file.txt"};
        for (String name : names) {
            Path file = Files.writeString(root.resolve("inbox").resolve("x" + Math.abs(name.hashCode())), name);
            Path done = name.hashCode() % 2 == 0 ? folders.moveToProcessed(file, name, LocalDate.of(2026, 1, 1))
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
}
