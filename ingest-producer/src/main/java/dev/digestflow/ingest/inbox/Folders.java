package dev.digestflow.ingest.inbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The folders a file passes through: inbox, {@code inbox/.claimed/<instance>/} while it is worked on,
 * then {@code processed/<yyyy-mm-dd>/} or {@code failed/}. Every move is an atomic rename where the
 * file system allows it, and never overwrites: a name already taken gets a numbered suffix.
 * Names come from the file system only and are reduced to their last element, so no path from a
 * file's name or content can point outside these folders.
 */
public final class Folders {

    public static final String CLAIMED = ".claimed";

    private final Path inbox;
    private final Path claimed;
    private final Path processed;
    private final Path failed;

    public Folders(Path inbox, Path processed, Path failed, String instanceId) throws IOException {
        this.inbox = inbox;
        this.claimed = inbox.resolve(CLAIMED).resolve(instanceId);
        this.processed = processed;
        this.failed = failed;
        for (Path p : List.of(inbox, claimed, processed, failed)) {
            Files.createDirectories(p);
        }
    }

    public Path inbox() {
        return inbox;
    }

    /**
     * Claims an inbox file for this instance by atomic rename. Returns null when another instance (or
     * the user) took it first: exactly one rename of a path can succeed.
     */
    public Path claim(Path inboxFile) throws IOException {
        Path target = claimed.resolve(inboxFile.getFileName().toString());
        if (Files.exists(target)) {
            target = unique(claimed, inboxFile.getFileName().toString());
        }
        try {
            return Files.move(inboxFile, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.NoSuchFileException gone) {
            return null;
        }
    }

    /** Files this instance claimed before a crash or stop: they were not finished and are processed again. */
    public List<Path> leftoverClaims() throws IOException {
        List<Path> list = new ArrayList<>();
        try (var s = Files.list(claimed)) {
            s.filter(Files::isRegularFile).sorted().forEach(list::add);
        }
        return list;
    }

    /** Puts a claimed file back into the inbox (e.g. when stopping with work unfinished). */
    public Path unclaim(Path claimedFile) throws IOException {
        return moveInto(claimedFile, inbox, claimedFile.getFileName().toString());
    }

    public Path moveToProcessed(Path file, String originalName, LocalDate day) throws IOException {
        Path dir = processed.resolve(day.toString());
        Files.createDirectories(dir);
        return moveInto(file, dir, originalName);
    }

    /** Moves the file to failed/ and writes the reason next to it as {@code <name>.error.txt}. */
    public Path moveToFailed(Path file, String originalName, String reason) throws IOException {
        Path target = moveInto(file, failed, originalName);
        Files.writeString(failed.resolve(target.getFileName() + ".error.txt"), reason, StandardCharsets.UTF_8);
        return target;
    }

    private static Path moveInto(Path file, Path dir, String name) throws IOException {
        // Only the last segment of a name is ever used, and "." or ".." never: no name, wherever it comes
        // from, can make a path outside processed/ or failed/.
        Path last = Path.of(name).getFileName();
        String safe = last == null || last.toString().equals("..") || last.toString().equals(".") ? "unnamed" : last.toString();
        Path target = dir.resolve(safe);
        for (int attempt = 0; ; attempt++) {
            try {
                if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                return Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException taken) {
                target = unique(dir, safe);
            } catch (AtomicMoveNotSupportedException crossDevice) {
                // processed/ or failed/ on another file system: copy then delete, never overwriting.
                Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                Files.delete(file);
                return target;
            }
            if (attempt > 1000) {
                throw new IOException("no free name for " + name + " in " + dir);
            }
        }
    }

    private static Path unique(Path dir, String name) {
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int n = 1; ; n++) {
            Path candidate = dir.resolve(base + " (" + n + ")" + ext);
            if (!Files.exists(candidate, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return candidate;
            }
        }
    }
}
