package dev.digestflow.ingest.inbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The folders a file passes through: inbox, {@code inbox/.claimed/<instance>/} while it is worked on,
 * then {@code processed/<yyyy-mm-dd>/} or {@code failed/}.
 *
 * <p>No step ever replaces a file. On Linux a rename silently replaces its target, so "check, then
 * rename" loses a file when two instances finish same-named files at once. A file is therefore
 * placed by a <b>hard link</b> to a free name, which fails instead of replacing when the name is taken,
 * and only then is its old name removed: at every moment the content has at least one name, and a
 * crash between the two steps leaves a second name, never none. Where the target folder is on another
 * file system (docker-compose mounts inbox, processed/ and failed/ separately) the content is first
 * copied to a hidden temporary name in the target folder and forced to disk, then linked the same way.
 *
 * <p>Names come from the file system only and are reduced to their last element, so no path from a
 * file's name or content can point outside these folders.
 */
public final class Folders {

    public static final String CLAIMED = ".claimed";
    /** Suffix of the reason file written next to a rejected file. */
    public static final String REASON_SUFFIX = ".error.txt";
    private static final String TEMP_PREFIX = ".digestflow-incoming-";

    private final Path inbox;
    private final Path claimedRoot;
    private final Path claimed;
    private final Path processed;
    private final Path failed;

    public Folders(Path inbox, Path processed, Path failed, String instanceId) throws IOException {
        this.inbox = inbox;
        this.claimedRoot = inbox.resolve(CLAIMED);
        this.claimed = claimedRoot.resolve(instanceId);
        this.processed = processed;
        this.failed = failed;
        for (Path p : List.of(inbox, claimed, processed, failed)) {
            Files.createDirectories(p);
        }
    }

    public Path inbox() {
        return inbox;
    }

    /** This instance's claim folder, {@code inbox/.claimed/<instance>/}. */
    public Path claimedDir() {
        return claimed;
    }

    /** The claim folders of every instance that ever used this inbox, this one's included. */
    public List<Path> claimDirs() throws IOException {
        try (var s = Files.list(claimedRoot)) {
            return s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    /**
     * Claims an inbox file for this instance by atomic rename. Returns null when another instance (or
     * the user) took it first: exactly one rename of a path can succeed. A rename may replace its
     * target, but only this instance writes into its claim folder (the instance lock sees to that), so
     * checking for a free name first is enough here.
     */
    public Path claim(Path inboxFile) throws IOException {
        Path target = claimed.resolve(freeName(claimed, safeName(inboxFile.getFileName().toString())));
        try {
            return Files.move(inboxFile, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException gone) {
            return null;
        }
    }

    /** Files in a claim folder, oldest name first; hidden names (the instance lock, temporaries) are not files to process. */
    public List<Path> claimedFiles(Path claimDir) throws IOException {
        List<Path> list = new ArrayList<>();
        try (var s = Files.list(claimDir)) {
            s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !p.getFileName().toString().startsWith("."))
                    .sorted().forEach(list::add);
        }
        return list;
    }

    /** Files this instance claimed before a crash or stop: they were not finished and are processed again. */
    public List<Path> leftoverClaims() throws IOException {
        return claimedFiles(claimed);
    }

    /** Takes over a file another (gone) instance claimed, by atomic rename into this instance's claim folder; null if it is gone. */
    public Path adopt(Path otherClaim) throws IOException {
        return claim(otherClaim);
    }

    public Path moveToProcessed(Path file, String originalName, LocalDate day) throws IOException {
        return moveInto(file, processedDay(day), originalName);
    }

    /** processed/ itself, for {@code processed.layout=flat}. */
    public Path processedRoot() throws IOException {
        return Files.createDirectories(processed);
    }

    public Path processedDay(LocalDate day) throws IOException {
        return Files.createDirectories(processed.resolve(day.toString()));
    }

    /**
     * A name the file already has in {@code dir}, or null. A crash between a move's link and its unlink
     * leaves the claimed file with a second name in processed/ or failed/; the recovery at the next
     * start finds it here and releases the claim instead of placing a second copy. Only a file with
     * more than one link is looked for, so the folder is read only in that case.
     */
    public Path existingLinkIn(Path file, Path dir) throws IOException {
        Object links;
        try {
            links = Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
            return null;
        }
        if (!(links instanceof Integer n) || n < 2 || !Files.isDirectory(dir)) {
            return null;
        }
        try (var entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (!p.equals(file) && Files.isSameFile(p, file)) {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * The name the file will get in {@code dir}: the one it already has there (a move interrupted by a
     * crash), or a free one. Nothing is created: the caller announces the name, then {@link #linkAs}.
     */
    public Path planIn(Path file, Path dir, String originalName) throws IOException {
        Path already = existingLinkIn(file, dir);
        if (already != null) {
            return already;
        }
        return dir.resolve(freeName(dir, safeName(originalName)));
    }

    /**
     * Gives the file the planned name (nothing to do when it has it already), or the next free one
     * when another instance took that name in between; returns the name it got. Never replaces.
     */
    public Path linkAs(Path file, Path planned) throws IOException {
        if (Files.exists(planned, LinkOption.NOFOLLOW_LINKS) && Files.isSameFile(planned, file)) {
            return planned;
        }
        Path dir = planned.getParent();
        try {
            Path target = linkOrCopy(file, dir, planned.getFileName().toString());
            forceDirectory(dir);
            return target;
        } catch (FileAlreadyExistsException taken) {
            return linkToFreeName(file, dir, planned.getFileName().toString(), true);
        }
    }

    /** Removes the name a file had before {@link #linkAs}, and forces the folder's entry to disk. */
    public void release(Path source) throws IOException {
        Files.deleteIfExists(source);
        forceDirectory(source.getParent());
    }

    /** Moves the file to failed/ and writes the reason next to it; see {@link #placeFailed}. */
    public Path moveToFailed(Path file, String originalName, String reason) throws IOException {
        Path target = placeFailed(file, originalName, reason);
        release(file);
        return target;
    }

    /**
     * Links the file into failed/ under a name {@code N} such that {@code N.error.txt} was free too,
     * and writes the reason there. The reason file is created first, with CREATE_NEW, so it never
     * replaces anything (a user's file named {@code x.error.txt} included), and the file's name is
     * taken only together with it.
     */
    public Path placeFailed(Path file, String originalName, String reason) throws IOException {
        Path already = existingLinkIn(file, failed);
        if (already != null) {
            return already; // placed before a crash, with its reason: not a second copy
        }
        String safe = safeName(originalName);
        for (int n = 0; n < 10_000; n++) {
            String candidate = numbered(safe, n);
            Path reasonFile = failed.resolve(candidate + REASON_SUFFIX);
            try {
                writeNew(reasonFile, reason);
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            try {
                Path target = linkOrCopy(file, failed, candidate);
                forceDirectory(failed);
                return target;
            } catch (FileAlreadyExistsException taken) {
                Files.deleteIfExists(reasonFile); // ours, created above: give the pair of names back
            }
        }
        throw new IOException("no free name for " + safe + " in " + failed);
    }

    /** The reason file of a file placed in failed/. */
    public static Path reasonFileOf(Path failedFile) {
        return failedFile.resolveSibling(failedFile.getFileName() + REASON_SUFFIX);
    }

    private Path moveInto(Path file, Path dir, String name) throws IOException {
        Path target = linkToFreeName(file, dir, name, true);
        release(file);
        return target;
    }

    private Path linkToFreeName(Path file, Path dir, String name, boolean force) throws IOException {
        String safe = safeName(name);
        for (int n = 0; n < 10_000; n++) {
            try {
                Path target = linkOrCopy(file, dir, numbered(safe, n));
                if (force) {
                    forceDirectory(dir);
                }
                return target;
            } catch (FileAlreadyExistsException taken) {
                // try the next numbered name
            }
        }
        throw new IOException("no free name for " + safe + " in " + dir);
    }

    /**
     * A new name for the file's content in {@code dir}; FileAlreadyExistsException when it is taken.
     * Same file system: a hard link. Another file system: a forced copy under a hidden temporary
     * name in {@code dir}, then a hard link from there (so the visible name appears complete or not at all).
     */
    private static Path linkOrCopy(Path file, Path dir, String name) throws IOException {
        Path target = dir.resolve(name);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            // A folder or a link refused from the inbox: moved as the entry it is (a link stays a link,
            // never followed); the move refuses an existing target.
            return Files.move(file, target, LinkOption.NOFOLLOW_LINKS);
        }
        try {
            return Files.createLink(target, file);
        } catch (FileAlreadyExistsException | NoSuchFileException e) {
            throw e;
        } catch (FileSystemException | UnsupportedOperationException crossDeviceOrNoLinks) {
            try {
                return copyThenLink(file, dir, target);
            } catch (AccessDeniedException unreadable) {
                // Linux's protected_hardlinks refuses to link another user's file we may not read and
                // write, and unreadable it cannot be copied: a plain rename, which refuses an existing
                // target (checked, then renamed), is all that is left. Across file systems it fails.
                return Files.move(file, target);
            }
        }
    }

    private static Path copyThenLink(Path file, Path dir, Path target) throws IOException {
        Path temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
        try {
            Files.copy(file, temp, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            // READ, not WRITE: the copy keeps the source's mode, which may be read-only; fsync works on either.
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.READ)) {
                ch.force(true);
            }
            try {
                return Files.createLink(target, temp);
            } catch (FileAlreadyExistsException taken) {
                throw taken;
            } catch (FileSystemException | UnsupportedOperationException noHardLinks) {
                // A file system without hard links (some network and FUSE mounts): a rename that
                // refuses an existing target is the closest it offers.
                return Files.move(temp, target);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static String freeName(Path dir, String name) throws IOException {
        for (int n = 0; n < 10_000; n++) {
            String candidate = numbered(name, n);
            if (!Files.exists(dir.resolve(candidate), LinkOption.NOFOLLOW_LINKS)) {
                return candidate;
            }
        }
        throw new IOException("no free name for " + name + " in " + dir);
    }

    private static void writeNew(Path file, String text) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    /** Makes a folder's new or removed entries durable (a rename or link is in the folder, not the file). */
    static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException notSupportedHere) {
            // Some file systems cannot open a folder for sync; the entry is still written, only later.
        }
    }

    /**
     * Only the last segment of a name is ever used, and "." or ".." never: no name, wherever it comes
     * from, can make a path outside processed/ or failed/. Hidden names stay hidden-free so that a
     * placed file is never mistaken for a temporary or a lock.
     */
    static String safeName(String name) {
        Path last = Path.of(name.replace('\0', '_')).getFileName();
        String s = last == null ? "" : last.toString();
        return s.isEmpty() || s.equals("..") || s.equals(".") ? "unnamed" : s;
    }

    /** {@code name} for 0, else {@code base (n).ext}. */
    static String numbered(String name, int n) {
        if (n == 0) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        return base + " (" + n + ")" + ext;
    }
}
