package dev.digestflow.ingest.inbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SHA-256 of every file already processed, so the same content dropped again is recorded as
 * skipped. Kept as an append-only file, forced to disk on every add, so it survives a crash or restart.
 * A torn last line (crash mid-append) is cut off on load, so the next append starts a line of its own.
 */
public final class ProcessedHashes implements AutoCloseable {

    private final Set<String> hashes = new HashSet<>();
    private static final Logger LOG = LoggerFactory.getLogger(ProcessedHashes.class);

    private final Path file;
    private final FileChannel channel;

    public ProcessedHashes(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        this.file = stateDir.resolve("processed-sha256.txt");
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        byte[] content = Files.readAllBytes(file);
        int end = content.length;
        while (end > 0 && content[end - 1] != '\n') {
            end--;
        }
        if (end < content.length) {
            // A crash mid-append left a line without its newline. Cut it off: appended to, it would merge
            // with the next hash into one invalid line, and that next hash would be lost at the next load.
            LOG.warn("{} ends with a torn line of {} bytes (a crash during an append); removing it", file, content.length - end);
            channel.truncate(end);
            channel.force(false);
        }
        for (String line : new String(content, 0, end, StandardCharsets.US_ASCII).split("\n")) {
            if (line.length() == 64 && line.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                hashes.add(line);
            }
        }
        channel.position(end);
    }

    public synchronized boolean contains(String sha256) {
        return hashes.contains(sha256);
    }

    public synchronized void add(String sha256) throws IOException {
        if (hashes.add(sha256)) {
            java.nio.ByteBuffer line = java.nio.ByteBuffer.wrap((sha256 + "\n").getBytes(StandardCharsets.US_ASCII));
            while (line.hasRemaining()) {
                channel.write(line);
            }
            channel.force(false);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
