package dev.digestflow.ingest;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.ingest.file.FileOutcome;
import dev.digestflow.ingest.file.FilePipeline;
import dev.digestflow.ingest.file.FileWork;
import dev.digestflow.ingest.inbox.Folders;
import dev.digestflow.ingest.inbox.InboxScanner;
import dev.digestflow.ingest.inbox.InstanceLock;
import dev.digestflow.ingest.inbox.ProcessedHashes;
import dev.digestflow.ingest.inbox.WorkerStops;
import dev.digestflow.ingest.ops.IngestMetrics;
import dev.digestflow.ingest.parse.ParserRegistry;
import dev.digestflow.ingest.publish.FilePublisher;
import dev.digestflow.ingest.publish.ItemPublisher;
import dev.digestflow.service.http.OpsHttpServer;
import dev.digestflow.schema.retry.Backoff;
import dev.digestflow.service.runtime.ManagedService;

/**
 * The watched-folder loop. Each complete inbox file is claimed by atomic rename and handed to the
 * {@link FilePipeline}, which says how it ended: done (processed/, failed/, skipped), waiting for its
 * re-check, or to be retried after a transient failure, with backoff. After a crash,
 * this instance's leftover claims are processed again, which is harmless because item ids are
 * deterministic; claims of another instance that has been gone for {@code claims.adopt.after.ms} are
 * taken over.
 *
 * <p>No file can stop the loop: the pipeline turns whatever a file does into an outcome. Should the
 * worker die anyway (out of memory, a JVM error), {@link #failure()} says why, the runner exits non-zero
 * so a supervisor restarts the process, and the file it was on is remembered: one that stopped the
 * worker {@value WorkerStops#LIMIT} times is set aside in failed/.
 */
public final class IngestService implements ManagedService {

    private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);
    private static final Duration ADOPTION_CHECK_INTERVAL = Duration.ofSeconds(5);

    private final IngestConfig config;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final Folders folders;
    private final InboxScanner scanner;
    private final ProcessedHashes hashes;
    private final FilePublisher publisher;
    private final FilePipeline pipeline;
    private final WorkerStops workerStops;
    private final Backoff backoff;
    private final Map<Path, Retry> retries = new HashMap<>();
    private final Map<Path, FileOutcome.AwaitingRecheck> awaitingRecheck = new LinkedHashMap<>();
    private final Map<Path, Instant> goneInstancesSince = new HashMap<>();
    private final Thread worker;
    /** Reads and parses claimed files ahead of the worker ({@code parse.ahead.files}); null when that is 0. */
    private final ExecutorService parsePool;
    private InstanceLock lock;
    private Instant nextAdoptionCheck = Instant.MIN;
    private volatile Path stoppedOn;
    private volatile boolean running;
    private volatile boolean waitingOnTransientFailure;
    private volatile Throwable failure;
    private WatchService watch;

    private record Retry(String name, Instant detectedAt, int attempts, Instant due) {
    }

    /** The Kafka publisher, this instance's folders and state: what the standalone service and {@code up} run. */
    public IngestService(IngestConfig config, IngestMetrics metrics, Clock clock) throws IOException {
        this(config, metrics, clock, new ItemPublisher(config), ParserRegistry.defaults(), FilePipeline.StepHook.NONE);
    }

    /** With the publisher and parsers as parameters, so that the loop's decisions are tested without a broker. */
    public IngestService(IngestConfig config, IngestMetrics metrics, Clock clock, FilePublisher publisher, ParserRegistry parsers,
            FilePipeline.StepHook hook) throws IOException {
        this.config = config;
        this.clock = clock;
        this.folders = new Folders(config.inbox(), config.processed(), config.failed(), config.instanceId());
        this.scanner = new InboxScanner(config.inbox(), config.quietPeriod(), clock, config.inputFilePattern());
        this.hashes = new ProcessedHashes(config.stateDir());
        this.workerStops = new WorkerStops(config.stateDir());
        this.publisher = publisher;
        this.pipeline = new FilePipeline(config, folders, hashes, parsers, publisher, metrics, clock, hook);
        this.backoff = new Backoff(Duration.ofMillis(config.getLong(IngestConfig.RETRY_BACKOFF_MS)),
                Duration.ofMillis(config.getLong(IngestConfig.RETRY_BACKOFF_MAX_MS)), new Random());
        this.worker = new Thread(this::loop, "ingest-" + config.instanceId());
        AtomicInteger parseThreads = new AtomicInteger();
        this.parsePool = config.parseAheadFiles() == 0 ? null : Executors.newFixedThreadPool(config.parseAheadFiles(), r -> {
            Thread t = new Thread(r, "ingest-" + config.instanceId() + "-parse-" + parseThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.metrics = metrics;
    }

    /**
     * Takes the instance lock, then starts watching; leftover claims of this instance are processed
     * first, then the files already in the inbox.
     *
     * @throws IllegalStateException when a live instance with the same {@code instance.id} holds the lock
     */
    @Override
    public void start() throws IOException {
        lock = InstanceLock.tryAcquire(folders.claimedDir());
        if (lock == null) {
            throw new IllegalStateException("another ingest-producer with " + IngestConfig.INSTANCE_ID + "=" + config.instanceId()
                    + " is running on " + config.inbox() + " (it holds " + InstanceLock.fileOf(folders.claimedDir())
                    + "). Stop it, or give this instance another " + IngestConfig.INSTANCE_ID + ".");
        }
        watch = FileSystems.getDefault().newWatchService();
        config.inbox().register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        running = true;
        worker.setUncaughtExceptionHandler((t, e) -> died(e));
        worker.start();
        LOG.info("watching {} as instance {} (processed: {}, failed: {})", config.inbox(), config.instanceId(), config.processed(), config.failed());
    }

    /** Whether no file is waiting on Kafka, the registry or a folder. */
    public boolean healthy() {
        return running && failure == null && !waitingOnTransientFailure;
    }

    /** Whether the watch loop is alive. */
    public boolean running() {
        return running && worker.isAlive();
    }

    @Override
    public Throwable failure() {
        return failure;
    }

    /** Live while the watch loop runs; ready while no file waits on a transient failure. */
    @Override
    public OpsHttpServer.Health health() {
        boolean live = running();
        boolean ready = live && healthy();
        String detail = failure != null ? "the ingest worker stopped: " + failure
                : ready ? "watching " + config.inbox()
                : live ? "Kafka, the registry or a folder is failing; " + retries.size() + " file(s) wait for a retry" : "stopped";
        return new OpsHttpServer.Health(live, ready, detail);
    }

    private void loop() {
        recoverLeftovers();
        while (running) {
            try {
                adoptClaimsOfGoneInstances();
                retryDue();
                recheckDue();
                handleAll(scanner.scan());
                awaitChange();
            } catch (ClosedWatchServiceException stopping) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                // The loop must outlive a folder hiccup; what a file does is already an outcome.
                LOG.error("inbox scan failed; retrying in {} ms", config.pollInterval().toMillis(), e);
                sleepQuietly(config.pollInterval());
            }
        }
    }

    /** Leftover claims of this instance: processed again, except one that stopped the worker too often. */
    private void recoverLeftovers() {
        try {
            Map<String, Integer> stops = workerStops.counts();
            for (Path leftover : folders.leftoverClaims()) {
                String name = leftover.getFileName().toString();
                int count = stops.getOrDefault(name, 0);
                if (count >= WorkerStops.LIMIT) {
                    LOG.error("{} stopped the ingest worker {} times; setting it aside in {}", name, count, config.failed());
                    settle(leftover, pipeline.rejectClaimed(leftover, name, "processing this file stopped the ingest worker " + count
                            + " times (an error the service could not survive, such as running out of memory); it is set aside so that the inbox keeps moving",
                            "Check the service's log for the error at the time, and the memory given to the service (-Xmx); then drop the file again."), name,
                            clock.instant());
                    continue;
                }
                LOG.info("recovering {} claimed before a stop or crash; processing it again", name);
                run(leftover, name, clock.instant());
            }
        } catch (IOException e) {
            LOG.error("cannot list this instance's claimed files in {}", folders.claimedDir(), e);
        }
    }

    /**
     * Claims of instances whose lock is free (the process is gone) for {@code claims.adopt.after.ms}
     * move into this instance's claim folder and are processed; without this, a decommissioned
     * instance's in-flight files would wait in {@code .claimed/} forever.
     */
    private void adoptClaimsOfGoneInstances() throws IOException {
        Instant now = clock.instant();
        if (now.isBefore(nextAdoptionCheck)) {
            return;
        }
        nextAdoptionCheck = now.plus(ADOPTION_CHECK_INTERVAL);
        for (Path dir : folders.claimDirs()) {
            if (dir.equals(folders.claimedDir())) {
                continue;
            }
            try (InstanceLock theirs = InstanceLock.tryAcquire(dir)) {
                if (theirs == null) {
                    goneInstancesSince.remove(dir); // alive
                    continue;
                }
                List<Path> files = folders.claimedFiles(dir);
                if (files.isEmpty()) {
                    goneInstancesSince.remove(dir);
                    continue;
                }
                Instant since = goneInstancesSince.computeIfAbsent(dir, d -> now);
                if (Duration.between(since, now).compareTo(config.claimsAdoptAfter()) < 0) {
                    continue;
                }
                for (Path file : files) {
                    Path adopted = folders.adopt(file);
                    if (adopted != null) {
                        LOG.warn("adopting {} claimed by instance {}, which has been gone since at least {}; processing it here", file.getFileName(),
                                dir.getFileName(), since);
                        run(adopted, file.getFileName().toString(), now);
                    }
                }
                goneInstancesSince.remove(dir);
            }
        }
    }

    private void awaitChange() throws InterruptedException {
        long waitMs = config.pollInterval().toMillis();
        Instant now = clock.instant();
        for (FileOutcome.AwaitingRecheck p : awaitingRecheck.values()) {
            waitMs = Math.min(waitMs, Math.max(1, Duration.between(now, p.recheckAt()).toMillis() + 1));
        }
        var key = watch.poll(waitMs, TimeUnit.MILLISECONDS);
        if (key != null) {
            key.pollEvents();
            key.reset();
        }
    }

    /** A claimed file whose read and parse run ahead, on the pool. */
    private record Ahead(Path claimed, String name, Instant detectedAt, Future<FilePipeline.Prepared> prepared) {
    }

    /**
     * The scan's files in order. With {@code parse.ahead.files} > 0, up to that many files are claimed
     * and read and parsed on the pool while the worker publishes the one before them; publishing and
     * every done step stay on this thread, one file at a time, in the scan's order.
     */
    private void handleAll(List<InboxScanner.Candidate> candidates) throws IOException {
        Deque<Ahead> ahead = new ArrayDeque<>();
        try {
            for (InboxScanner.Candidate c : candidates) {
                if (!running) {
                    return;
                }
                Ahead a = handle(c);
                if (a != null) {
                    ahead.add(a);
                }
                if (ahead.size() > config.parseAheadFiles()) {
                    complete(ahead.poll());
                }
            }
        } finally {
            // Files claimed ahead are finished here even when a later entry failed (a link that vanished, a claim that could not
            // be made): out of the inbox, they would otherwise wait in their claim until the next start. Only a stop leaves them
            // claimed, untouched, for the next start to process.
            while (running && !ahead.isEmpty()) {
                complete(ahead.poll());
            }
            ahead.forEach(a -> a.prepared().cancel(false));
        }
    }

    private void complete(Ahead a) {
        guarded(a.claimed(), () -> {
            FilePipeline.Prepared prepared = awaitPrepared(a);
            if (prepared != null) {
                settle(a.claimed(), pipeline.complete(prepared), a.name(), a.detectedAt());
            }
        });
    }

    /**
     * The pool's read and parse of a file, or null when the service stops first (nothing of the file
     * was published: it stays claimed for the next start). An Error on the pool (out of memory while
     * parsing) is rethrown here, charged to the file as one on this thread would be.
     */
    private FilePipeline.Prepared awaitPrepared(Ahead a) {
        while (true) {
            try {
                return a.prepared().get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillParsing) {
                if (!running) {
                    return null;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (CancellationException e) {
                return null;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                // prepare() turns everything else into an outcome; should that change, the file is read here instead of being stranded.
                LOG.error("reading {} ahead failed; reading it on the worker thread", a.name(), e.getCause());
                return pipeline.prepare(a.claimed(), a.name(), a.detectedAt());
            }
        }
    }

    /** Claims a scanned file: processed at once, or, with parse-ahead, returned with its read and parse under way. */
    private Ahead handle(InboxScanner.Candidate c) throws IOException {
        Instant detected = clock.instant();
        String name = c.path().getFileName().toString();
        if (c.notAFile()) {
            settle(c.path(), pipeline.reject(c.path(), name, detected, "'" + name + "' is a directory (or another non-regular entry), not a digest file",
                    "Put digest files directly into the inbox; folders are not read."), name, detected);
            return null;
        }
        if (c.symlink()) {
            Path target = Files.readSymbolicLink(c.path());
            Path resolved = c.path().resolveSibling(target).normalize();
            boolean outside = !resolved.startsWith(config.inbox());
            settle(c.path(), pipeline.reject(c.path(), name, detected, "'" + name + "' is a symbolic link to " + target
                    + (outside ? ", which points outside the inbox" : "") + "; links are refused so that no file outside the inbox is ever read",
                    "Copy or move the file itself into the inbox."), name, detected);
            return null;
        }
        Path claimed = folders.claim(c.path());
        scanner.forget(c.path());
        if (claimed == null) {
            return null; // another instance claimed it first
        }
        if (parsePool == null) {
            run(claimed, name, detected);
            return null;
        }
        return new Ahead(claimed, name, detected, parsePool.submit(() -> pipeline.prepare(claimed, name, detected)));
    }

    private void retryDue() {
        Instant now = clock.instant();
        for (Map.Entry<Path, Retry> e : new ArrayList<>(retries.entrySet())) {
            if (!e.getValue().due().isAfter(now) && running) {
                run(e.getKey(), e.getValue().name(), e.getValue().detectedAt());
            }
        }
    }

    private void recheckDue() {
        Instant now = clock.instant();
        for (FileOutcome.AwaitingRecheck p : new ArrayList<>(awaitingRecheck.values())) {
            if (!p.recheckAt().isAfter(now) && running) {
                FileWork work = p.work();
                awaitingRecheck.remove(work.claimed());
                guarded(work.claimed(), () -> settle(work.claimed(), pipeline.finish(work), work.name(), work.detectedAt()));
            }
        }
    }

    /** One claimed file through the pipeline. */
    private void run(Path claimed, String name, Instant detectedAt) {
        guarded(claimed, () -> settle(claimed, pipeline.process(claimed, name, detectedAt), name, detectedAt));
    }

    /**
     * Runs one file's step, charging an error the worker cannot survive to that file (see
     * {@link WorkerStops}). The pipeline already turns everything a file can cause into an outcome;
     * what arrives here is the JVM's trouble, and ends the worker.
     */
    private void guarded(Path claimed, Runnable step) {
        try {
            step.run();
        } catch (Error fatal) {
            stoppedOn = claimed;
            throw fatal;
        }
    }

    private void died(Throwable e) {
        Path file = stoppedOn;
        failure = e;
        running = false;
        if (file != null) {
            try {
                workerStops.record(file.getFileName().toString());
            } catch (IOException | RuntimeException | Error ignored) {
                // Out of disk or memory as well: the file is simply retried at the next start.
            }
        }
        LOG.error("the ingest worker stopped{}; the process must be restarted (the file stays claimed and is retried at the next start)",
                file == null ? "" : " while processing " + file.getFileName(), e);
    }

    private void settle(Path claimed, FileOutcome outcome, String name, Instant detectedAt) {
        if (outcome instanceof FileOutcome.Retry r) {
            scheduleRetry(claimed, name, detectedAt, r.cause());
        } else if (outcome instanceof FileOutcome.AwaitingRecheck p) {
            retries.remove(claimed);
            awaitingRecheck.put(claimed, p);
        } else {
            retries.remove(claimed);
            awaitingRecheck.remove(claimed);
            try {
                workerStops.forget(claimed.getFileName().toString());
            } catch (IOException e) {
                LOG.warn("could not update {}: {}", config.stateDir(), e.toString());
            }
        }
        if (!(outcome instanceof FileOutcome.Retry) && !(outcome instanceof FileOutcome.Failed f && !f.eventPublished())) {
            waitingOnTransientFailure = !retries.isEmpty();
        }
    }

    private void scheduleRetry(Path claimed, String name, Instant detectedAt, Exception cause) {
        waitingOnTransientFailure = true;
        Retry previous = retries.get(claimed);
        int attempts = previous == null ? 1 : previous.attempts() + 1;
        Duration delay = backoff.delay(Math.min(attempts - 1, 30));
        retries.put(claimed, new Retry(name, detectedAt, attempts, clock.instant().plus(delay)));
        metrics.retried();
        LOG.warn("{} stays in the inbox (claimed as {}) and is retried in {} ms (attempt {}): {}", name, folders.inbox().relativize(claimed),
                delay.toMillis(), attempts, cause.getMessage());
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
        if (parsePool != null) {
            parsePool.shutdownNow(); // only reads were under way: their files stay claimed for the next start
        }
        publisher.close();
        hashes.close();
        if (lock != null) {
            lock.close();
        }
    }
}
