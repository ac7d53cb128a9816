package dev.digestflow.ingest.inbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which claimed files the ingest worker was processing when it died of an error it could not survive
 * (out of memory, a JVM error). The file stays claimed and is tried again at the next start, since the
 * cause may have been elsewhere; a file that stopped the worker {@value #LIMIT} times is set aside in
 * failed/, so one file cannot stop ingestion at every restart. Kept in the state folder, one name a
 * line; a kill from outside (kill -9, a crash of the machine) leaves no line, so it never counts.
 */
public final class WorkerStops {

    public static final int LIMIT = 2;

    private final Path file;

    public WorkerStops(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        this.file = stateDir.resolve("worker-stopped-on.txt");
    }

    /** Records that the worker died while processing this claimed file; forced to disk, it may be the last thing the process does. */
    public synchronized void record(String claimedName) throws IOException {
        Files.writeString(file, claimedName.replace('\n', ' ') + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.SYNC);
    }

    /** How often each claimed name stopped the worker. */
    public synchronized Map<String, Integer> counts() throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    counts.merge(line, 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    /** Forgets a file once it has an outcome. */
    public synchronized void forget(String claimedName) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        String key = claimedName.replace('\n', ' ');
        List<String> kept = Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.equals(key) && !l.isBlank()).toList();
        if (kept.isEmpty()) {
            Files.deleteIfExists(file);
        } else {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(temp, kept, StandardCharsets.UTF_8);
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
