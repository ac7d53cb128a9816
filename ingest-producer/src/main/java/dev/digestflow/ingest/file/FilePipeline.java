package dev.digestflow.ingest.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.ingest.inbox.Folders;
import dev.digestflow.ingest.inbox.ProcessedHashes;
import dev.digestflow.ingest.ops.IngestMetrics;
import dev.digestflow.ingest.parse.DigestItems;
import dev.digestflow.ingest.parse.DigestParseException;
import dev.digestflow.ingest.parse.DigestParser;
import dev.digestflow.ingest.parse.DigestText;
import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParseWarning;
import dev.digestflow.ingest.parse.ParsedItem;
import dev.digestflow.ingest.parse.ParserRegistry;
import dev.digestflow.ingest.parse.TextDecoder;
import dev.digestflow.ingest.publish.FilePublisher;
import dev.digestflow.ingest.publish.FilePublisher.ItemRejectedException;
import dev.digestflow.ingest.publish.FilePublisher.PublishException;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.FileEvent;
import dev.digestflow.schema.FileStatus;

/**
 * The life of one claimed file, apart from the loop that feeds it: read and hash, parse, publish,
 * re-check, then done. Every step ends in a {@link FileOutcome}; nothing a file contains can make it
 * throw. The failure classes:
 * <ul>
 * <li><b>deterministic</b>, the file goes to failed/ next to its reason: content that is not a digest
 *     (any exception or stack overflow a parser throws included, since the same bytes would throw
 *     again), a file over the size limit, a file the service may not read, an item Kafka will never take;</li>
 * <li><b>transient</b>, the file stays claimed and is retried: Kafka, the registry, a folder that cannot
 *     take the file;</li>
 * <li><b>changed</b>: a file written to until shortly before it was read is published only once it has
 *     been quiet for twice the quiet period and its size and mtime still equal what was read; a file
 *     that changed (a writer that paused longer than the quiet period, as network copies do) is
 *     processed again as a whole, so no half-written file is ever published or marked done.</li>
 * </ul>
 * The order of the done step closes the crash windows: the content's hash is recorded before the file
 * leaves its claim, so a crash in between leaves a claimed file whose content is known, which the next
 * start records as skipped instead of ingesting a second time.
 */
public final class FilePipeline {

    private static final Logger LOG = LoggerFactory.getLogger(FilePipeline.class);

    /** A point between two steps, where tests stand in for a crash. */
    public enum Step { HASH_RECORDED, PLACED_IN_PROCESSED }


    /** Called at each {@link Step}; a test's hook may throw to simulate a crash there. */
    @FunctionalInterface
    public interface StepHook {
        StepHook NONE = (step, file) -> { };

        void reached(Step step, Path file);
    }

    private final IngestConfig config;
    private final Folders folders;
    private final ProcessedHashes hashes;
    private final ParserRegistry parsers;
    private final FilePublisher publisher;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final StepHook hook;
    /** Claims whose hash this pipeline recorded before a transient failure: their retry is their own processing, not a duplicate. */
    private final Map<Path, String> hashedClaims = new java.util.concurrent.ConcurrentHashMap<>();

    public FilePipeline(IngestConfig config, Folders folders, ProcessedHashes hashes, ParserRegistry parsers, FilePublisher publisher,
            IngestMetrics metrics, Clock clock, StepHook hook) {
        this.config = config;
        this.folders = folders;
        this.hashes = hashes;
        this.parsers = parsers;
        this.publisher = publisher;
        this.metrics = metrics;
        this.clock = clock;
        this.hook = hook;
    }

    /** Reads, parses and publishes a claimed file; returns {@link FileOutcome.AwaitingRecheck} when the publish must wait for a re-check. */
    public FileOutcome process(Path claimed, String name, Instant detectedAt) {
        return complete(prepare(claimed, name, detectedAt));
    }

    /**
     * A claimed file read, hashed and parsed, or what stopped that: the part of a file's life that
     * only reads, so that it can run on another thread ahead of the file's turn
     * ({@code parse.ahead.files}). Nothing is published, moved or recorded until {@link #complete}.
     */
    public static final class Prepared {
        private final FileWork work;
        /** Why the file is refused for good (size, permission, content), or null. */
        private String problem;
        private String where;
        private String advice;
        /** A read that failed for a reason that may pass (retried), or the file vanished (NoSuchFileException). */
        private IOException unreadable;
        /** A defect outside the parsers while reading: the file is kept for a retry. */
        private RuntimeException unexpected;

        private Prepared(FileWork work) {
            this.work = work;
        }

        public FileWork work() {
            return work;
        }

        private Prepared refuse(String problem, String where, String advice) {
            this.problem = problem;
            this.where = where;
            this.advice = advice;
            return this;
        }
    }

    /** Reads and parses a claimed file; safe on any thread, and never throws for anything the file holds. */
    public Prepared prepare(Path claimed, String name, Instant detectedAt) {
        Prepared prepared = new Prepared(new FileWork(claimed, name, detectedAt, clock.instant()));
        FileWork work = prepared.work;
        try {
            BasicFileAttributes attrs = Files.readAttributes(claimed, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            work.size = attrs.size();
            work.modified = attrs.lastModifiedTime().toInstant();
            if (work.size > config.maxFileBytes()) {
                return prepared.refuse("the file is " + work.size + " bytes, over the limit of " + config.maxFileBytes() + " bytes ("
                        + IngestConfig.MAX_FILE_BYTES + ")", "whole file", "Split the digest into smaller files, or raise " + IngestConfig.MAX_FILE_BYTES + ".");
            }
            byte[] bytes;
            try {
                bytes = readHashed(claimed, work);
            } catch (AccessDeniedException denied) {
                return prepared.refuse("cannot read the file: permission denied for the service's user (" + System.getProperty("user.name") + ")",
                        "whole file", "Make the file readable by the user the ingest-producer runs as (e.g. chmod a+r), then drop it again.");
            } catch (FileGrewException grew) {
                return prepared.refuse(grew.getMessage(), "whole file", "Split the digest into smaller files, or raise " + IngestConfig.MAX_FILE_BYTES + ".");
            }
            try {
                work.events = parse(work, bytes);
                work.items = work.events.size();
            } catch (DigestParseException e) {
                work.format = e.format() != null ? e.format() : work.format;
                String where = e.line() > 0 ? "line " + e.line() : e.byteOffset() >= 0 ? "byte offset " + e.byteOffset() : "whole file";
                return prepared.refuse(e.getMessage(), where, e.advice());
            } catch (StackOverflowError | RuntimeException parserBug) {
                // The same bytes would throw again at every retry: the file is rejected, the worker lives on.
                LOG.error("the {} parser failed on {}; rejecting the file", work.format == null ? "format detection" : work.format, name, parserBug);
                return prepared.refuse("the " + (work.format == null ? "format detection" : work.format + " parser") + " failed on this file: "
                        + describe(parserBug), "whole file", "This is a digestflow defect: please report it with the file. Other files are not affected.");
            }
            return prepared;
        } catch (IOException e) {
            prepared.unreadable = e;
            return prepared;
        } catch (RuntimeException e) {
            prepared.unexpected = e;
            return prepared;
        }
    }

    /**
     * The rest of a prepared file's life, on the worker thread and in file order: skipped when its
     * content was processed already (by a file completed before it, too), refused to failed/, deferred
     * for a re-check, or published and done.
     */
    public FileOutcome complete(Prepared prepared) {
        FileWork work = prepared.work;
        try {
            if (prepared.unreadable != null) {
                throw prepared.unreadable;
            }
            if (prepared.unexpected != null) {
                throw prepared.unexpected;
            }
            // Checked here, not while preparing: a file completed just before this one may have brought the same content.
            if (processedBefore(work)) {
                return skip(work);
            }
            if (prepared.problem != null) {
                work.events = List.of();
                return fail(work, prepared.problem, prepared.where, prepared.advice);
            }
            Instant recheckAt = work.modified.plus(config.quietPeriod().multipliedBy(2));
            if (recheckAt.isAfter(clock.instant())) {
                return new FileOutcome.AwaitingRecheck(work, recheckAt);
            }
            return publishAndFinish(work, !hashedForThisClaim(work));
        } catch (NoSuchFileException gone) {
            return gone(work);
        } catch (PublishException | IOException e) {
            return new FileOutcome.Retry(e);
        } catch (RuntimeException e) {
            // A defect outside the parsers (publishing, folders): keep the file for a retry rather than lose or mis-file it, and say so loudly.
            LOG.error("unexpected error processing {}; it stays claimed and is retried", work.name(), e);
            return new FileOutcome.Retry(e);
        }
    }

    /**
     * Whether the file's content was processed already, by another file: its hash is recorded, and not
     * by this claim's own earlier attempt. A file refused before it was read has no hash (""), which is
     * never recorded: it is not skipped.
     */
    private boolean processedBefore(FileWork work) {
        return hashes.contains(work.sha256) && !hashedForThisClaim(work);
    }

    /** Whether this pipeline recorded the claim's hash itself before a transient failure: its retry is its own processing. */
    private boolean hashedForThisClaim(FileWork work) {
        return work.sha256.equals(hashedClaims.get(work.claimed()));
    }

    /**
     * The deferred step of a file that was written to shortly before it was read: unchanged since the
     * read, it is published and done; changed, it is processed again as a whole, so that no half-written
     * file's items are ever published.
     */
    public FileOutcome finish(FileWork work) {
        try {
            BasicFileAttributes now = Files.readAttributes(work.claimed(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (now.size() != work.size || !now.lastModifiedTime().toInstant().equals(work.modified)) {
                LOG.warn("{} changed after it was read ({} -> {} bytes, modified {} -> {}): a writer was still at work; processing it again as a whole",
                        work.name(), work.size, now.size(), work.modified, now.lastModifiedTime().toInstant());
                return process(work.claimed(), work.name(), work.detectedAt());
            }
            // Checked again: a copy of the same content that waited beside this one may have finished first.
            if (processedBefore(work)) {
                return skip(work);
            }
            return publishAndFinish(work, !hashedForThisClaim(work));
        } catch (NoSuchFileException gone) {
            return gone(work);
        } catch (PublishException | IOException e) {
            return new FileOutcome.Retry(e);
        }
    }

    /**
     * Items, then the done step, in this order: the content's hash is recorded; the file's name in
     * processed/ is chosen and announced in the PROCESSED event; the file gets that name and leaves its
     * claim, two steps back to back. A crash anywhere leaves the file claimed: the next start either
     * finds its hash (SKIPPED) or processes it again, and a name it already got in processed/ is reused,
     * never doubled. A transient failure after the hash record (processed/ not writable, Kafka down for
     * the event) is retried as this file's own processing, not as a duplicate.
     */
    private FileOutcome publishAndFinish(FileWork work, boolean publishItems) {
        try {
            if (publishItems) {
                long publishStart = System.nanoTime();
                try {
                    publisher.publishItems(work.events);
                } catch (ItemRejectedException rejected) {
                    DigestItem item = work.events.get(rejected.index());
                    return fail(work, "item " + (rejected.index() + 1) + " of " + work.events.size() + " ('" + abbreviate(item.getTitle()) + "'): "
                            + rejected.getMessage(), "line " + item.getSource().getLine(),
                            "Shorten that item (its summary), or raise the producer's max.request.size (kafka.max.request.size) and the topic's max.message.bytes.");
                }
                metrics.publishTime(Duration.ofNanos(System.nanoTime() - publishStart));
            }
            hashes.add(work.sha256);
            hashedClaims.put(work.claimed(), work.sha256);
            hook.reached(Step.HASH_RECORDED, work.claimed());
            Path target = announceAndPlace(work, FileStatus.PROCESSED, work.items, work.warnings.size(), null);
            hashedClaims.remove(work.claimed());
            work.events = List.of();
            metrics.processed(work.items);
            logOutcome(work, FileStatus.PROCESSED, work.items, work.warnings.size(), target, null);
            work.warnings.forEach(w -> LOG.warn("{}: {}", work.name(), w));
            return new FileOutcome.Processed(target, work.items, work.warnings.size());
        } catch (NoSuchFileException gone) {
            hashedClaims.remove(work.claimed());
            return gone(work);
        } catch (PublishException | IOException e) {
            return new FileOutcome.Retry(e);
        } catch (RuntimeException e) {
            LOG.error("unexpected error publishing {}; it stays claimed and is retried", work.name(), e);
            return new FileOutcome.Retry(e);
        }
    }

    /**
     * The file's name in processed/ is chosen, announced in its event, then given and the claim
     * released. Announcing first keeps the window in which the file has two names to two file-system
     * calls; should another instance take the name in between, the file gets the next one and a
     * corrected event follows.
     */
    private Path announceAndPlace(FileWork work, FileStatus status, int items, int warnings, String error) throws IOException, PublishException {
        if (config.cleanupPolicy() == IngestConfig.CleanupPolicy.DELETE) {
            // Announced, then deleted: a crash in between leaves the file claimed, and its recorded hash makes the retry a SKIPPED that deletes it.
            publisher.publishFileEvent(event(work, status, items, warnings, error, null));
            folders.release(work.claimed());
            return null;
        }
        Path planned;
        try {
            Path dir = config.processedLayout() == IngestConfig.ProcessedLayout.FLAT ? folders.processedRoot() : folders.processedDay(today());
            planned = folders.planIn(work.claimed(), dir, work.name());
        } catch (NoSuchFileException gone) {
            throw gone;
        } catch (IOException e) {
            throw processedUnavailable(e);
        }
        publisher.publishFileEvent(event(work, status, items, warnings, error, planned));
        Path target;
        try {
            target = folders.linkAs(work.claimed(), planned);
        } catch (NoSuchFileException gone) {
            throw gone;
        } catch (IOException e) {
            throw processedUnavailable(e);
        }
        hook.reached(Step.PLACED_IN_PROCESSED, target);
        folders.release(work.claimed());
        if (!target.equals(planned)) {
            try {
                publisher.publishFileEvent(event(work, status, items, warnings, error, target));
            } catch (PublishException e) {
                LOG.warn("{} is at {}, but the corrected {} event could not be published (the first named {}): {}", work.name(), target, status,
                        planned, e.getMessage());
            }
        }
        return target;
    }

    private IOException processedUnavailable(IOException e) {
        return new IOException("cannot move it into " + config.processed() + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                + "); check free space and permissions there", e);
    }

    /**
     * An inbox entry that cannot be claimed as a file (a folder, a link) goes to failed/ with its reason.
     */
    public FileOutcome reject(Path entry, String name, Instant detectedAt, String problem, String advice) {
        try {
            return fail(new FileWork(entry, name, detectedAt, clock.instant()), problem, "whole entry", advice);
        } catch (NoSuchFileException gone) {
            return new FileOutcome.Gone(entry);
        } catch (IOException e) {
            return new FileOutcome.Retry(e);
        }
    }

    /**
     * Rejects a claimed file for a reason found outside this pipeline (the loop's: a file that stopped
     * the worker more than once).
     */
    public FileOutcome rejectClaimed(Path claimed, String name, String problem, String advice) {
        FileWork work = new FileWork(claimed, name, clock.instant(), clock.instant());
        try {
            work.size = Files.size(claimed);
            return fail(work, problem, "whole file", advice);
        } catch (NoSuchFileException gone) {
            return gone(work);
        } catch (IOException e) {
            return new FileOutcome.Retry(e);
        }
    }

    private List<DigestItem> parse(FileWork work, byte[] bytes) throws DigestParseException {
        long parseStart = System.nanoTime();
        try {
            DigestText text = TextDecoder.decode(work.name(), work.modified, bytes);
            DigestParser parser = parsers.parserFor(text);
            work.format = parser.format();
            ParseResult parsed = parser.parse(text);
            work.format = parsed.format();
            work.warnings.addAll(parsed.warnings());
            return toEvents(parsed, work);
        } finally {
            work.parseMillis = (System.nanoTime() - parseStart) / 1_000_000;
            metrics.parseTime(Duration.ofMillis(work.parseMillis));
        }
    }

    private List<DigestItem> toEvents(ParseResult parsed, FileWork work) {
        List<DigestItem> events = new ArrayList<>(parsed.items().size());
        Instant now = clock.instant();
        int ordinal = 0;
        for (ParsedItem item : parsed.items()) {
            try {
                events.add(DigestItems.toEvent(item, work.name(), work.sha256, parsed.format(), ordinal, now));
                ordinal++;
            } catch (IllegalArgumentException noIdentity) {
                work.warnings.add(new ParseWarning(item.line(), "skipped an item whose title has no letters or digits: '" + abbreviate(item.title()) + "'"));
            }
        }
        return events;
    }

    private FileOutcome skip(FileWork work) throws IOException, PublishException {
        Path target = announceAndPlace(work, FileStatus.SKIPPED, 0, 0, "same content (sha256 " + work.sha256 + ") was already processed");
        metrics.skipped();
        logOutcome(work, FileStatus.SKIPPED, 0, 0, target, null);
        return new FileOutcome.Skipped(target);
    }

    private FileOutcome fail(FileWork work, String problem, String where, String advice) throws IOException {
        String reason = FailureReport.text(work, problem, where, advice, config.instanceId(), clock.instant());
        Path target;
        try {
            target = folders.placeFailed(work.claimed(), work.name(), reason);
        } catch (NoSuchFileException gone) {
            throw gone;
        } catch (IOException e) {
            throw new IOException("cannot move it into " + config.failed() + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); check free space and permissions there. It was rejected because: " + problem, e);
        }
        // Released at once, as in the done step: the file never has two names while an event is in flight.
        folders.release(work.claimed());
        boolean announced = true;
        try {
            publisher.publishFileEvent(event(work, FileStatus.FAILED, 0, 0, problem + " (" + where + ")", target));
        } catch (PublishException e) {
            // The file and its reason are safely in failed/; only the lifecycle event is missing.
            announced = false;
            LOG.error("{} was rejected to {} but its FAILED file event could not be published: {}", work.name(), target, e.getMessage());
        }
        metrics.failed();
        logOutcome(work, FileStatus.FAILED, 0, 0, target, problem);
        return new FileOutcome.Failed(target, problem, announced);
    }

    private FileOutcome gone(FileWork work) {
        LOG.warn("{} disappeared from {} while it was being processed (removed by hand?); nothing is left to process", work.name(),
                work.claimed().getParent());
        return new FileOutcome.Gone(work.claimed());
    }

    private byte[] readHashed(Path file, FileWork work) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] bytes;
        try (InputStream in = new DigestInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), sha)) {
            // Bounded by the size limit checked before: a file growing past it is caught here too.
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxFileBytes() + 1));
            if (bytes.length > config.maxFileBytes()) {
                throw new FileGrewException("the file grew past the limit of " + config.maxFileBytes() + " bytes (" + IngestConfig.MAX_FILE_BYTES
                        + ") while it was being read");
            }
        }
        work.sha256 = HexFormat.of().formatHex(sha.digest());
        work.size = bytes.length;
        return bytes;
    }

    private static final class FileGrewException extends IOException {
        FileGrewException(String message) {
            super(message);
        }
    }

    /** The event's path of a file deleted after processing ({@code cleanup.policy=delete}). */
    public static final String DELETED_PATH = "(deleted: cleanup.policy=delete)";

    private FileEvent event(FileWork work, FileStatus status, int items, int warnings, String error, Path path) {
        return FileEvent.newBuilder()
                .setPath(path == null ? DELETED_PATH : path.toString())
                .setFileName(work.name())
                .setSha256(work.sha256.isEmpty() ? "unknown" : work.sha256)
                .setSizeBytes(Math.max(0, work.size))
                .setFormat(work.format)
                .setItemCount(items)
                .setWarningCount(warnings)
                .setStatus(status)
                .setError(error)
                .setInstance(config.instanceId())
                .setDetectedAt(work.detectedAt())
                .setStartedAt(work.startedAt())
                .setFinishedAt(clock.instant())
                .setParseMillis(work.parseMillis)
                .build();
    }

    private void logOutcome(FileWork work, FileStatus status, int items, int warnings, Path where, String error) {
        LOG.atInfo()
                .addKeyValue("file", work.name())
                .addKeyValue("status", status.name().toLowerCase(Locale.ROOT))
                .addKeyValue("format", work.format)
                .addKeyValue("items", items)
                .addKeyValue("warnings", warnings)
                .addKeyValue("bytes", work.size)
                .addKeyValue("sha256", work.sha256)
                .addKeyValue("parse_ms", work.parseMillis)
                .addKeyValue("total_ms", Duration.between(work.startedAt(), clock.instant()).toMillis())
                .addKeyValue("to", where)
                .addKeyValue("error", error)
                .log("file {}", status.name().toLowerCase(Locale.ROOT));
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + abbreviate(m));
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
