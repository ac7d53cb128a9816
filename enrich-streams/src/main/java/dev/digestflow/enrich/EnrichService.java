package dev.digestflow.enrich;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.enrich.taxonomy.CurrentTaxonomy;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.enrich.topology.EnrichMetrics;
import dev.digestflow.enrich.topology.EnrichTopology;
import dev.digestflow.schema.retry.Backoff;
import dev.digestflow.service.http.OpsHttpServer;
import dev.digestflow.service.kafka.Topics;
import dev.digestflow.service.runtime.ManagedService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;

/**
 * The running enrich-streams service: creates its output topics, starts Kafka Streams with the
 * topology, replaces a stream thread that dies ({@link StreamThreadRecovery}: after a backoff, capped
 * unless it is a registry outage), and reports health and metrics.
 */
public final class EnrichService implements ManagedService {

    private static final Logger LOG = LoggerFactory.getLogger(EnrichService.class);

    private final EnrichConfig config;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final StreamThreadRecovery recovery;
    private final CurrentTaxonomy taxonomy;
    private final java.util.concurrent.ScheduledExecutorService reloads = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "enrich-taxonomy-reload");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch closing = new CountDownLatch(1);

    public EnrichService(EnrichConfig config, Taxonomy taxonomy, MeterRegistry meters) {
        this.config = config;
        String file = config.getString(EnrichConfig.TAXONOMY_FILE);
        this.taxonomy = new CurrentTaxonomy(taxonomy, file.isBlank() ? null : java.nio.file.Path.of(file));
        Properties props = EnrichTopology.streamsProperties(config, meters);
        EnrichMetrics metrics = new EnrichMetrics(meters);
        this.streams = new KafkaStreams(EnrichTopology.build(config, this.taxonomy, metrics), props);
        this.recovery = new StreamThreadRecovery(config.getInt(EnrichConfig.THREAD_REPLACEMENTS_MAX),
                Duration.ofMillis(config.getLong(EnrichConfig.THREAD_REPLACEMENTS_WINDOW_MS)),
                new Backoff(Duration.ofMillis(config.getLong(EnrichConfig.RETRY_BACKOFF_MS)),
                        Duration.ofMillis(config.getLong(EnrichConfig.RETRY_BACKOFF_MAX_MS)), new Random()),
                System::nanoTime, metrics::recordsDone, d -> closing.await(d.toMillis(), TimeUnit.MILLISECONDS));
        streams.setUncaughtExceptionHandler(recovery);
        streams.setStateListener((now, before) -> LOG.info("kafka streams state {} -> {}", before, now));
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
    }

    /** Creates the output topics (tagged, DLQ and, when enabled, one per tag) if they are missing. */
    public static void ensureTopics(EnrichConfig config, Taxonomy taxonomy) throws InterruptedException, ExecutionException, TimeoutException {
        List<String> names = new ArrayList<>(List.of(config.getString(EnrichConfig.RAW_TOPIC), config.getString(EnrichConfig.TAGGED_TOPIC),
                config.getString(EnrichConfig.DLQ_TOPIC)));
        if (config.getBoolean(EnrichConfig.TAG_TOPICS_ENABLED)) {
            taxonomy.tagNames().forEach(t -> names.add(config.getString(EnrichConfig.TAG_TOPIC_PREFIX) + t));
            names.add(config.getString(EnrichConfig.TAG_TOPIC_PREFIX) + Taxonomy.UNTAGGED);
        }
        Topics.ensure(config.getString(EnrichConfig.BOOTSTRAP_SERVERS), config.clientSettings(EnrichConfig.Client.ADMIN), names,
                config.getInt(EnrichConfig.TOPIC_PARTITIONS), config.getShort(EnrichConfig.TOPIC_REPLICATION));
    }

    @Override
    public void start() {
        streams.start();
        LOG.info("tagging with taxonomy {}", taxonomy.taxonomy().summary());
        long every = config.getLong(EnrichConfig.TAXONOMY_RELOAD_INTERVAL_MS);
        if (every > 0 && taxonomy.file().isPresent()) {
            reloads.scheduleWithFixedDelay(this::reloadTaxonomy, every, every, TimeUnit.MILLISECONDS);
            LOG.info("taxonomy {} from {}; checked for changes every {} ms", taxonomy.taxonomy().version(), taxonomy.file().get(), every);
        }
    }

    /**
     * Puts a changed taxonomy file in use without a restart, once it is valid and the topics of its new
     * tags exist; an invalid one is refused with the reason (its line) and the current one stays.
     */
    void reloadTaxonomy() {
        try {
            CurrentTaxonomy.Change change = taxonomy.reloadIfChanged(next -> {
                try {
                    ensureTopics(config, next);
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("cannot create the topics of its tags: " + e.getMessage(), e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            });
            if (change instanceof CurrentTaxonomy.Change.Loaded loaded) {
                java.util.Set<String> added = new java.util.TreeSet<>(loaded.current().tagNames());
                added.removeAll(loaded.previous().tagNames());
                java.util.Set<String> removed = new java.util.TreeSet<>(loaded.previous().tagNames());
                removed.removeAll(loaded.current().tagNames());
                LOG.info("taxonomy {} replaces {} (tags added {}, removed {}); items from now on are tagged with it. "
                        + "./digestflow retag re-tags the items already indexed", loaded.current().summary(), loaded.previous().version(), added, removed);
            } else if (change instanceof CurrentTaxonomy.Change.Refused refused) {
                LOG.error("taxonomy change refused: {}", refused.reason());
            }
        } catch (RuntimeException e) {
            LOG.error("taxonomy reload failed; the current taxonomy stays in use", e);
        }
    }

    public CurrentTaxonomy taxonomy() {
        return taxonomy;
    }

    /** Streams in ERROR does not recover by itself: the runner exits non-zero so that a supervisor restarts the process. */
    @Override
    public Throwable failure() {
        return streams.state() == KafkaStreams.State.ERROR
                ? new IllegalStateException("Kafka Streams reached ERROR (application " + config.getString(EnrichConfig.APPLICATION_ID) + "); see the log above")
                : null;
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Live: RUNNING or REBALANCING (or still starting); ready: RUNNING and not waiting out a registry outage. */
    @Override
    public OpsHttpServer.Health health() {
        KafkaStreams.State s = streams.state();
        boolean live = s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING || s == KafkaStreams.State.CREATED;
        String registryWait = recovery.registryWait();
        return new OpsHttpServer.Health(live, s == KafkaStreams.State.RUNNING && registryWait == null,
                "kafka streams " + s + "; taxonomy " + taxonomy.taxonomy().version() + (registryWait == null ? "" : "; " + registryWait));
    }

    @Override
    public void close() {
        recovery.stopWaiting();
        closing.countDown();
        reloads.shutdownNow();
        // Leave the group on a clean stop: by default Streams stays a member until session.timeout.ms
        // (45 s) expires, so a restarted instance would sit idle that long before getting its partitions.
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(30)));
        streamsMetrics.close();
    }
}
