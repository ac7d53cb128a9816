package dev.digestflow.ingest.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessedHashesTest {

    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);
    private static final String C = "c".repeat(64);

    /** A crash mid-append left half a line: the next append must not be glued to it and lost at the next load. */
    @Test
    void aTornLastLineIsCutOffSoTheNextHashSurvivesARestart(@TempDir Path state) throws Exception {
        Path file = state.resolve("processed-sha256.txt");
        Files.writeString(file, A + "\n" + B.substring(0, 20), StandardCharsets.US_ASCII);
        try (ProcessedHashes hashes = new ProcessedHashes(state)) {
            assertThat(hashes.contains(A)).isTrue();
            assertThat(hashes.contains(B)).isFalse();
            hashes.add(C);
        }
        try (ProcessedHashes again = new ProcessedHashes(state)) {
            assertThat(again.contains(A)).isTrue();
            assertThat(again.contains(C)).isTrue();
        }
        assertThat(Files.readString(file)).isEqualTo(A + "\n" + C + "\n");
    }

    @Test
    void survivesARestartWithoutAnyTear(@TempDir Path state) throws Exception {
        try (ProcessedHashes hashes = new ProcessedHashes(state)) {
            hashes.add(A);
            hashes.add(B);
            hashes.add(A);
        }
        try (ProcessedHashes again = new ProcessedHashes(state)) {
            assertThat(again.contains(A)).isTrue();
            assertThat(again.contains(B)).isTrue();
        }
        assertThat(Files.readAllLines(state.resolve("processed-sha256.txt"))).containsExactly(A, B);
    }
}
