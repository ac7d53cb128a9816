package dev.digestflow.ingest.inbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * The SHA-256 of every file already processed, so the same content dropped again is recorded as
 * skipped. Kept as an append-only file, forced to disk on every add, so it survives a crash or restart.
 * A torn last line (crash mid-append) is ignored on load.
 */
public final class ProcessedHashes implements AutoCloseable {

    private final Set<String> hashes = new HashSet<>();
    private final FileChannel channel;

    public ProcessedHashes(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Path file = stateDir.resolve("processed-sha256.txt");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.matches("[0-9a-f]{64}")) {
                    hashes.add(line);
                }
            }
        }
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    public synchronized boolean contains(String sha256) {
        return hashes.contains(sha256);
    }

    public synchronized void add(String sha256) throws IOException {
        if (hashes.add(sha256)) {
            channel.write(java.nio.ByteBuffer.wrap((sha256 + "\n").getBytes(StandardCharsets.US_ASCII)));
            channel.force(false);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
