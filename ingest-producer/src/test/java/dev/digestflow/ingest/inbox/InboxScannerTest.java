package dev.digestflow.ingest.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InboxScannerTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2025-06-01T12:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();

    @Test
    void aFileRenamedInWithAnOldMtimeIsReadyAtOnce(@TempDir Path inbox) throws Exception {
        Path f = Files.writeString(inbox.resolve("digest.txt"), "x");
        Files.setLastModifiedTime(f, FileTime.from(clock.now.minusSeconds(60)));
        assertThat(new InboxScanner(inbox, Duration.ofSeconds(1), clock).scan()).extracting(c -> c.path()).containsExactly(f);
    }

    @Test
    void aFileBeingWrittenWaitsForTheQuietPeriod(@TempDir Path inbox) throws Exception {
        InboxScanner scanner = new InboxScanner(inbox, Duration.ofSeconds(1), clock);
        Path f = Files.writeString(inbox.resolve("digest.txt"), "part one");
        Files.setLastModifiedTime(f, FileTime.from(clock.now));
        assertThat(scanner.scan()).isEmpty();
        clock.now = clock.now.plusMillis(600);
        Files.writeString(f, "part one, part two");
        Files.setLastModifiedTime(f, FileTime.from(clock.now));
        assertThat(scanner.scan()).as("changed since last look").isEmpty();
        clock.now = clock.now.plusMillis(999);
        assertThat(scanner.scan()).as("quiet for less than the period").isEmpty();
        clock.now = clock.now.plusMillis(1);
        assertThat(scanner.scan()).extracting(c -> c.path()).containsExactly(f);
    }

    @Test
    void hiddenAndPartialFilesAreIgnored(@TempDir Path inbox) throws Exception {
        for (String name : new String[] {".hidden", "a.tmp", "b.PART", "c.crdownload", ".d.swp", "e.swp"}) {
            Files.setLastModifiedTime(Files.writeString(inbox.resolve(name), "x"), FileTime.from(clock.now.minusSeconds(60)));
        }
        assertThat(new InboxScanner(inbox, Duration.ofSeconds(1), clock).scan()).isEmpty();
    }

    @Test
    void directoriesAndSymlinksAreReportedOnceForRejection(@TempDir Path inbox, @TempDir Path outside) throws Exception {
        Files.createDirectory(inbox.resolve("looks-like-a-file.txt"));
        Files.createSymbolicLink(inbox.resolve("link.txt"), Files.writeString(outside.resolve("secret.txt"), "x"));
        InboxScanner scanner = new InboxScanner(inbox, Duration.ofSeconds(1), clock);
        var first = scanner.scan();
        assertThat(first).anySatisfy(c -> {
            assertThat(c.path().getFileName().toString()).isEqualTo("looks-like-a-file.txt");
            assertThat(c.notAFile()).isTrue();
        });
        assertThat(first).anySatisfy(c -> {
            assertThat(c.path().getFileName().toString()).isEqualTo("link.txt");
            assertThat(c.symlink()).isTrue();
        });
        assertThat(scanner.scan()).noneMatch(c -> c.notAFile());
    }

    @Test
    void onlyNamesMatchingTheIncludePatternArePickedUpTheOthersStay(@org.junit.jupiter.api.io.TempDir Path inbox) throws Exception {
        java.nio.file.Files.writeString(inbox.resolve("feed.xml"), "<rss/>");
        java.nio.file.Files.writeString(inbox.resolve("notes.md"), "# notes");
        java.nio.file.Files.writeString(inbox.resolve("photo.jpg"), "jpeg");
        java.nio.file.Files.writeString(inbox.resolve(".hidden.xml"), "<rss/>");
        InboxScanner scanner = new InboxScanner(inbox, java.time.Duration.ZERO, java.time.Clock.systemUTC(),
                java.util.regex.Pattern.compile(".*\\.(xml|md)"));
        assertThat(scanner.scan()).extracting(c -> c.path().getFileName().toString()).containsExactlyInAnyOrder("feed.xml", "notes.md");
        assertThat(inbox.resolve("photo.jpg")).exists();
    }
}
