package dev.digestflow.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.ingest.inbox.Folders;
import dev.digestflow.ingest.inbox.InboxScanner;
import dev.digestflow.ingest.inbox.ProcessedHashes;
import dev.digestflow.ingest.ops.IngestMetrics;
import dev.digestflow.ingest.parse.DigestItems;
import dev.digestflow.ingest.parse.DigestParseException;
import dev.digestflow.ingest.parse.DigestText;
import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParseWarning;
import dev.digestflow.ingest.parse.ParsedItem;
import dev.digestflow.ingest.parse.ParserRegistry;
import dev.digestflow.ingest.parse.TextDecoder;
import dev.digestflow.ingest.publish.ItemPublisher;
import dev.digestflow.ingest.publish.ItemPublisher.PublishException;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.FileEvent;
import dev.digestflow.schema.FileStatus;
import dev.digestflow.service.http.OpsHttpServer;

/**
 * The watched-folder loop. Each complete inbox file is claimed by atomic rename, hashed, parsed and
 * published; only when Kafka acknowledged every item (and the file event) does it move to
 * {@code processed/<day>/}. A file that cannot be a digest moves to {@code failed/} next to a readable
 * reason. When Kafka or a folder is unavailable, the file stays claimed inside the inbox and is
 * retried with backoff; after a crash, this instance's leftover claims are processed again, which is
 * harmless because item ids are deterministic.
 */
public final class IngestService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

    private final IngestConfig config;
    private final Clock clock;
    private final IngestMetrics metrics;
    private final ParserRegistry parsers = ParserRegistry.defaults();
    private final Folders folders;
    private final InboxScanner scanner;
    private final ProcessedHashes hashes;
    private final ItemPublisher publisher;
    private final Map<Path, Retry> retries = new HashMap<>();
    private final Thread worker;
    private volatile boolean running;
    private volatile boolean healthy;
    private WatchService watch;

    private record Retry(int attempts, Instant due) {
    }

    /** What the pipeline learned about a file on its way; fills the error file and the event. */
    private static final class FileWork {
        final Path claimed;
        final String name;
        final Instant detectedAt;
        final Instant startedAt;
        long size;
        String sha256 = "";
        String format;
        long parseMillis;

        FileWork(Path claimed, String name, Instant detectedAt, Instant startedAt) {
            this.claimed = claimed;
            this.name = name;
            this.detectedAt = detectedAt;
            this.startedAt = startedAt;
        }
    }

    public IngestService(IngestConfig config, IngestMetrics metrics, Clock clock) throws IOException {
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.folders = new Folders(config.inbox(), config.processed(), config.failed(), config.instanceId());
        this.scanner = new InboxScanner(config.inbox(), config.quietPeriod(), clock);
        this.hashes = new ProcessedHashes(config.stateDir());
        this.publisher = new ItemPublisher(config);
        this.worker = new Thread(this::loop, "ingest-" + config.instanceId());
    }

    /** Starts watching; files already in the inbox, and leftover claims of this instance, are processed first. */
    public void start() throws IOException {
        watch = FileSystems.getDefault().newWatchService();
        config.inbox().register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        running = true;
        worker.start();
        LOG.info("watching {} as instance {} (processed: {}, failed: {})", config.inbox(), config.instanceId(),
                config.processed(), config.failed());
    }

    /** Whether the last file's Kafka and folder work succeeded. */
    public boolean healthy() {
        return running && healthy;
    }

    /** Whether the watch loop is alive. */
    public boolean running() {
        return running && worker.isAlive();
    }

    /** Live while the watch loop runs; ready while the last file's Kafka and folder work succeeded. */
    public OpsHttpServer.Health health() {
        return new OpsHttpServer.Health(running(), healthy(), healthy() ? "watching " + config.inbox() : "Kafka or a folder is failing; files are retried");
    }

    private void loop() {
        healthy = true;
        try {
            for (Path leftover : folders.leftoverClaims()) {
                LOG.info("recovering {} claimed before a stop or crash; processing it again", leftover.getFileName());
                process(leftover, leftover.getFileName().toString(), clock.instant());
            }
        } catch (IOException e) {
            LOG.error("cannot list this instance's claimed files in {}", config.inbox(), e);
        }
        while (running) {
            try {
                retryDue();
                for (InboxScanner.Candidate c : scanner.scan()) {
                    if (!running) {
                        break;
                    }
                    handle(c);
                }
                awaitChange();
            } catch (ClosedWatchServiceException stopping) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                // The loop must outlive any one bad file or folder hiccup.
                LOG.error("inbox scan failed; retrying in {} ms", config.pollInterval().toMillis(), e);
                sleepQuietly(config.pollInterval());
            }
        }
    }

    private void awaitChange() throws InterruptedException {
        var key = watch.poll(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        if (key != null) {
            key.pollEvents();
            key.reset();
        }
    }

    private void handle(InboxScanner.Candidate c) throws IOException {
        Instant detected = clock.instant();
        String name = c.path().getFileName().toString();
        if (c.notAFile()) {
            rejectInPlace(c.path(), name, detected, "'" + name + "' is a directory (or another non-regular entry), not a digest file",
                    "Put digest files directly into the inbox; folders are not read.");
            return;
        }
        if (c.symlink()) {
            Path target = Files.readSymbolicLink(c.path());
            Path resolved = c.path().resolveSibling(target).normalize();
            boolean outside = !resolved.startsWith(config.inbox());
            rejectInPlace(c.path(), name, detected, "'" + name + "' is a symbolic link to " + target
                    + (outside ? ", which points outside the inbox" : "") + "; links are refused so that no file outside the inbox is ever read",
                    "Copy or move the file itself into the inbox.");
            return;
        }
        Path claimed = folders.claim(c.path());
        scanner.forget(c.path());
        if (claimed == null) {
            return; // another instance claimed it first
        }
        process(claimed, name, detected);
    }

    private void retryDue() {
        Instant now = clock.instant();
        for (Map.Entry<Path, Retry> e : new ArrayList<>(retries.entrySet())) {
            if (!e.getValue().due().isAfter(now) && running) {
                process(e.getKey(), e.getKey().getFileName().toString(), now);
            }
        }
    }

    /** The whole life of one claimed file. Never throws: every outcome is processed, failed or retried. */
    void process(Path claimed, String name, Instant detectedAt) {
        FileWork work = new FileWork(claimed, name, detectedAt, clock.instant());
        try {
            work.size = Files.size(claimed);
            if (work.size > config.maxFileBytes()) {
                fail(work, "the file is " + work.size + " bytes, over the limit of " + config.maxFileBytes()
                        + " bytes (" + IngestConfig.MAX_FILE_BYTES + ")", "whole file",
                        "Split the digest into smaller files, or raise " + IngestConfig.MAX_FILE_BYTES + ".");
                return;
            }
            byte[] bytes = readHashed(claimed, work);
            if (hashes.contains(work.sha256)) {
                publisher.publishFileEvent(event(work, FileStatus.SKIPPED, 0, 0,
                        "same content (sha256 " + work.sha256 + ") was already processed", folders.inbox().resolve(name)));
                Path done = folders.moveToProcessed(claimed, name, today());
                retries.remove(claimed);
                metrics.skipped();
                logOutcome(work, FileStatus.SKIPPED, 0, 0, done, null);
                return;
            }
            long parseStart = System.nanoTime();
            ParseResult parsed;
            try {
                DigestText text = TextDecoder.decode(name, Files.getLastModifiedTime(claimed).toInstant(), bytes);
                parsed = parsers.parse(text);
            } catch (DigestParseException e) {
                work.format = e.format();
                String where = e.line() > 0 ? "line " + e.line() : e.byteOffset() >= 0 ? "byte offset " + e.byteOffset() : "whole file";
                fail(work, e.getMessage(), where, e.advice());
                return;
            } finally {
                work.parseMillis = (System.nanoTime() - parseStart) / 1_000_000;
                metrics.parseTime(Duration.ofMillis(work.parseMillis));
            }
            work.format = parsed.format();
            List<ParseWarning> warnings = new ArrayList<>(parsed.warnings());
            List<DigestItem> events = toEvents(parsed, work, warnings);
            long publishStart = System.nanoTime();
            publisher.publishAll(events);
            metrics.publishTime(Duration.ofNanos(System.nanoTime() - publishStart));
            Path target = config.processed().resolve(today().toString()).resolve(name);
            publisher.publishFileEvent(event(work, FileStatus.PROCESSED, events.size(), warnings.size(), null, target));
            Path done = moveToProcessed(claimed, name);
            hashes.add(work.sha256);
            retries.remove(claimed);
            healthy = true;
            metrics.processed(events.size());
            logOutcome(work, FileStatus.PROCESSED, events.size(), warnings.size(), done, null);
            warnings.forEach(w -> LOG.warn("{}: {}", name, w));
        } catch (PublishException | IOException e) {
            scheduleRetry(work, e);
        } catch (RuntimeException e) {
            // A bug, not bad input: keep the file for a retry rather than lose or mis-file it, and say so loudly.
            LOG.error("unexpected error processing {}; it stays claimed and is retried", name, e);
            scheduleRetry(work, e);
        }
    }

    private List<DigestItem> toEvents(ParseResult parsed, FileWork work, List<ParseWarning> warnings) {
        List<DigestItem> events = new ArrayList<>(parsed.items().size());
        Instant now = clock.instant();
        int ordinal = 0;
        for (ParsedItem item : parsed.items()) {
            try {
                events.add(DigestItems.toEvent(item, work.name, work.sha256, parsed.format(), ordinal, now));
                ordinal++;
            } catch (IllegalArgumentException noIdentity) {
                warnings.add(new ParseWarning(item.line(), "skipped an item whose title has no letters or digits: '" + item.title() + "'"));
            }
        }
        return events;
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
                throw new IOException("file grew past " + IngestConfig.MAX_FILE_BYTES + " while being read");
            }
        }
        work.sha256 = HexFormat.of().formatHex(sha.digest());
        work.size = bytes.length;
        return bytes;
    }

    /**
     * The last step of a good file. When processed/ cannot take it (disk full, read-only, not a
     * folder), the file stays claimed in the inbox and is retried; its items are already in Kafka,
     * and the retry republishes them harmlessly (same ids, dropped by dedup).
     */
    private Path moveToProcessed(Path claimed, String name) throws IOException {
        try {
            return folders.moveToProcessed(claimed, name, today());
        } catch (IOException e) {
            throw new IOException("cannot move it into " + config.processed() + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); check free space and permissions there", e);
        }
    }

    private void scheduleRetry(FileWork work, Exception cause) {
        healthy = false;
        Retry previous = retries.get(work.claimed);
        int attempts = previous == null ? 1 : previous.attempts() + 1;
        long base = config.getLong(IngestConfig.RETRY_BACKOFF_MS);
        long cap = Math.min(config.getLong(IngestConfig.RETRY_BACKOFF_MAX_MS), base << Math.min(attempts - 1, 20));
        long delay = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        retries.put(work.claimed, new Retry(attempts, clock.instant().plusMillis(delay)));
        metrics.retried();
        LOG.warn("{} stays in the inbox (claimed as {}) and is retried in {} ms (attempt {}): {}", work.name,
                folders.inbox().relativize(work.claimed), delay, attempts, cause.getMessage());
    }

    private void fail(FileWork work, String problem, String where, String advice) throws IOException {
        String reason = String.join("\n",
                "digestflow could not ingest this file.",
                "",
                "File:        " + work.name,
                "Size:        " + work.size + " bytes",
                "SHA-256:     " + (work.sha256.isEmpty() ? "(not computed)" : work.sha256),
                "Format:      " + (work.format == null ? "none recognized" : work.format),
                "Problem:     " + problem,
                "Where:       " + where,
                "What to do:  " + advice,
                "",
                "Instance:    " + config.instanceId(),
                "Time:        " + clock.instant(),
                "");
        Path target = folders.moveToFailed(work.claimed, work.name, reason);
        retries.remove(work.claimed);
        metrics.failed();
        logOutcome(work, FileStatus.FAILED, 0, 0, target, problem);
        try {
            publisher.publishFileEvent(event(work, FileStatus.FAILED, 0, 0, problem + " (" + where + ")", target));
        } catch (PublishException e) {
            // The file and its reason are safely in failed/; only the lifecycle event is missing.
            LOG.error("{} was rejected to {} but its FAILED file event could not be published: {}", work.name, target, e.getMessage());
        }
    }

    /** Entries that cannot be claimed as files (directories, links) go to failed/ with their reason. */
    private void rejectInPlace(Path entry, String name, Instant detected, String problem, String advice) throws IOException {
        FileWork work = new FileWork(entry, name, detected, clock.instant());
        fail(work, problem, "whole entry", advice);
    }

    private FileEvent event(FileWork work, FileStatus status, int items, int warnings, String error, Path path) {
        return FileEvent.newBuilder()
                .setPath(path.toString())
                .setFileName(work.name)
                .setSha256(work.sha256.isEmpty() ? "unknown" : work.sha256)
                .setSizeBytes(work.size)
                .setFormat(work.format)
                .setItemCount(items)
                .setWarningCount(warnings)
                .setStatus(status)
                .setError(error)
                .setInstance(config.instanceId())
                .setDetectedAt(work.detectedAt)
                .setStartedAt(work.startedAt)
                .setFinishedAt(clock.instant())
                .setParseMillis(work.parseMillis)
                .build();
    }

    private void logOutcome(FileWork work, FileStatus status, int items, int warnings, Path where, String error) {
        LOG.atInfo()
                .addKeyValue("file", work.name)
                .addKeyValue("status", status.name().toLowerCase(java.util.Locale.ROOT))
                .addKeyValue("format", work.format)
                .addKeyValue("items", items)
                .addKeyValue("warnings", warnings)
                .addKeyValue("bytes", work.size)
                .addKeyValue("sha256", work.sha256)
                .addKeyValue("parse_ms", work.parseMillis)
                .addKeyValue("total_ms", Duration.between(work.startedAt, clock.instant()).toMillis())
                .addKeyValue("to", where)
                .addKeyValue("error", error)
                .log("file {}", status.name().toLowerCase(java.util.Locale.ROOT));
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops after the file in progress; files not finished stay claimed and are recovered at the next start. */
    @Override
    public void close() throws IOException {
        running = false;
        if (watch != null) {
            watch.close();
        }
        try {
            worker.join(Duration.ofSeconds(60).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
        hashes.close();
    }
}
