package dev.digestflow.ingest.inbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds inbox entries that are complete and ready to claim.
 *
 * <p>A file is complete when its size and mtime have stayed the same for the quiet period. A file
 * moved in by rename after being written elsewhere already has an old mtime, so it qualifies at its
 * first sighting. Hidden files and the usual partial-download names are never candidates.
 * Directories and other non-regular entries are returned as {@link Candidate#notAFile} so they can be
 * reported rather than silently ignored.
 */
public final class InboxScanner {

    private static final List<String> PARTIAL_SUFFIXES = List.of(".tmp", ".part", ".crdownload", ".swp", ".partial", ".download");

    /** What was seen: a complete regular file, a symlink (checked by the caller), or something else. */
    public record Candidate(Path path, long size, Instant modified, boolean symlink, boolean notAFile) {
    }

    private record Observation(long size, Instant modified) {
    }

    private final Path inbox;
    private final Duration quietPeriod;
    private final Clock clock;
    private final Map<Path, Observation> seen = new HashMap<>();
    private final Set<Path> reportedNonFiles = new HashSet<>();

    private static final Logger LOG = LoggerFactory.getLogger(InboxScanner.class);
    private final java.util.regex.Pattern include;
    private final Set<Path> reportedExcluded = new HashSet<>();

    public InboxScanner(Path inbox, Duration quietPeriod, Clock clock) {
        this(inbox, quietPeriod, clock, java.util.regex.Pattern.compile(".+", java.util.regex.Pattern.DOTALL));
    }

    /** @param include the pattern a whole file name must match ({@code input.file.pattern}); others stay in the inbox, reported once */
    public InboxScanner(Path inbox, Duration quietPeriod, Clock clock, java.util.regex.Pattern include) {
        this.inbox = inbox;
        this.quietPeriod = quietPeriod;
        this.clock = clock;
        this.include = include;
    }

    /** Whether a name is never a digest candidate: hidden, or a partial download or editor file. */
    public static boolean ignoredName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return name.startsWith(".") || name.startsWith("~") || PARTIAL_SUFFIXES.stream().anyMatch(lower::endsWith);
    }

    /** One pass over the inbox: the entries ready now, oldest first. */
    public List<Candidate> scan() throws IOException {
        Instant now = clock.instant();
        List<Candidate> ready = new ArrayList<>();
        Set<Path> present = new HashSet<>();
        Set<Path> excludedNow = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(inbox)) {
            for (Path p : entries) {
                if (ignoredName(p.getFileName().toString())) {
                    continue;
                }
                if (!include.matcher(p.getFileName().toString()).matches()) {
                    excludedNow.add(p);
                    if (reportedExcluded.add(p)) {
                        LOG.info("{} stays in the inbox: its name does not match input.file.pattern ({})", p.getFileName(), include.pattern());
                    }
                    continue;
                }
                present.add(p);
                BasicFileAttributes attrs;
                try {
                    attrs = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException vanished) {
                    continue; // Deleted or renamed between listing and reading: the next scan sees the truth.
                }
                if (attrs.isSymbolicLink()) {
                    ready.add(new Candidate(p, -1, attrs.lastModifiedTime().toInstant(), true, false));
                    continue;
                }
                if (!attrs.isRegularFile()) {
                    if (reportedNonFiles.add(p)) {
                        ready.add(new Candidate(p, -1, attrs.lastModifiedTime().toInstant(), false, true));
                    }
                    continue;
                }
                Instant modified = attrs.lastModifiedTime().toInstant();
                Observation previous = seen.get(p);
                boolean unchanged = previous != null && previous.size() == attrs.size() && previous.modified().equals(modified);
                boolean quietSinceModified = !modified.plus(quietPeriod).isAfter(now);
                if (!unchanged) {
                    seen.put(p, new Observation(attrs.size(), modified));
                }
                // Ready when the file was not written for the quiet period and did not change since we last looked.
                if (quietSinceModified && (previous == null || unchanged)) {
                    ready.add(new Candidate(p, attrs.size(), modified, false, false));
                }
            }
        }
        seen.keySet().retainAll(present);
        reportedNonFiles.retainAll(present);
        reportedExcluded.retainAll(excludedNow);
        ready.sort((a, b) -> a.modified().compareTo(b.modified()));
        return ready;
    }

    /** Forgets a path, e.g. once it was claimed. */
    public void forget(Path p) {
        seen.remove(p);
    }
}
