package dev.digestflow.app.console;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.digestflow.app.Endpoints;
import dev.digestflow.app.PipelineNames;
import dev.digestflow.app.StatusReport;
import dev.digestflow.schema.FileEvent;
import dev.digestflow.schema.FileStatus;
import dev.digestflow.schema.dlq.DeadLetterHeaders;

/**
 * The console's live state, sampled every {@link #TICK} in the background: records per topic (from
 * the {@link TopicFollower}), documents in the index, consumer lag per partition, each service's
 * health and last problem, and, less often, the full reconciliation that {@code status} prints. A
 * page reads the last sample (and gets the next ones pushed by server-sent events), so no page ever
 * waits on a slow Kafka or Elasticsearch call: a part that could not be read says so in
 * {@code unavailable}.
 */
public final class LiveView implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);
    static final Duration TICK = Duration.ofSeconds(2);
    private static final Duration RECONCILE_EVERY = Duration.ofSeconds(30);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(3);
    /** Ten minutes of samples for the sparklines and the rates. */
    private static final int SAMPLES_KEPT = 300;
    private static final Duration RATE_WINDOW = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One sample: when, and a count per series. */
    record Sample(long at, Map<String, Long> counts) {
    }

    private final Endpoints endpoints;
    private final PipelineNames names;
    private final Path inbox;
    private final TopicFollower follower;
    private final Admin admin;
    private final ElasticsearchClient es;
    private final FilesView files;
    private final RecentProblems problems;
    private final Supplier<StatusReport> reconcile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(daemon("digestflow-console-tick"));
    private final ScheduledExecutorService reconciliations = Executors.newSingleThreadScheduledExecutor(daemon("digestflow-console-reconcile"));
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final List<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicBoolean reconciling = new AtomicBoolean();
    private volatile ObjectNode pipeline = JSON.createObjectNode().put("starting", true);
    private volatile ArrayNode topics = JSON.createArrayNode();
    private volatile ObjectNode reconciliation = JSON.createObjectNode().put("pending", true);
    private volatile int fileEventsSeen = -1;

    public LiveView(Endpoints endpoints, PipelineNames names, Path home, TopicFollower follower, Admin admin, ElasticsearchClient es, FilesView files,
            RecentProblems problems, Supplier<StatusReport> reconcile) {
        this.endpoints = endpoints;
        this.names = names;
        this.inbox = home.resolve("inbox");
        this.follower = follower;
        this.admin = admin;
        this.es = es;
        this.files = files;
        this.problems = problems;
        this.reconcile = reconcile;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public LiveView start() {
        ticks.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
        reconciliations.scheduleWithFixedDelay(this::reconcileNow, 3, RECONCILE_EVERY.toSeconds(), TimeUnit.SECONDS);
        return this;
    }

    /** Called with (event name, JSON) after each sample: {@code pipeline}, {@code topics}, and {@code files} when a file event arrived. */
    public void onUpdate(BiConsumer<String, String> listener) {
        listeners.add(listener);
    }

    public JsonNode pipeline() {
        return pipeline;
    }

    public JsonNode topics() {
        return topics;
    }

    /** Runs the reconciliation now (in the background); the next pipeline sample carries it. */
    public void reconcileNow() {
        if (!reconciling.compareAndSet(false, true)) {
            return;
        }
        long t0 = System.currentTimeMillis();
        try {
            StatusReport report = reconcile.get();
            ObjectNode r = JSON.createObjectNode();
            r.put("reconciled", report.reconciled()).put("verdict", report.verdict()).put("at", t0)
                    .put("millis", System.currentTimeMillis() - t0);
            r.set("disagreements", JSON.valueToTree(report.disagreements()));
            r.set("partial", JSON.valueToTree(report.partial()));
            r.set("report", JSON.readTree(report.toJson()));
            reconciliation = r;
        } catch (Exception e) {
            reconciliation = JSON.createObjectNode().put("at", t0).put("error", "the reconciliation could not run: " + e.getMessage());
        } finally {
            reconciling.set(false);
        }
    }

    void tick() {
        try {
            List<String> unavailable = new ArrayList<>();
            if (follower.problem() != null) {
                unavailable.add("Kafka: " + follower.problem());
            }
            long now = System.currentTimeMillis();
            Map<String, Long> counts = new TreeMap<>(follower.counts());
            Long documents = documents(unavailable);
            if (documents != null) {
                counts.put("index", documents);
            }
            synchronized (samples) {
                samples.addLast(new Sample(now, counts));
                if (samples.size() > SAMPLES_KEPT) {
                    samples.removeFirst();
                }
            }
            Map<TopicPartition, long[]> offsets = offsets(unavailable);
            List<ObjectNode> lag = lag(offsets, unavailable);
            this.topics = topicsJson(counts, offsets, lag);
            this.pipeline = pipelineJson(now, counts, documents, lag, unavailable);
            publish("pipeline", pipeline.toString());
            publish("topics", topics.toString());
            List<ConsumerRecord<byte[], byte[]>> events = follower.fileEvents();
            if (events.size() != fileEventsSeen) {
                fileEventsSeen = events.size();
                publish("files", String.valueOf(events.size()));
            }
        } catch (RuntimeException e) {
            LOG.warn("console: a sample failed: {}", e.toString());
        }
    }

    private void publish(String event, String json) {
        for (BiConsumer<String, String> l : listeners) {
            try {
                l.accept(event, json);
            } catch (RuntimeException e) {
                LOG.debug("console: a listener failed: {}", e.toString());
            }
        }
    }

    private Long documents(List<String> unavailable) {
        try {
            if (!es.indices().existsAlias(a -> a.name(names.alias())).value()) {
                return 0L;
            }
            return es.count(c -> c.index(names.alias())).count();
        } catch (IOException | RuntimeException e) {
            unavailable.add("Elasticsearch: " + e.getMessage());
            return null;
        }
    }

    /** Per partition of the followed topics: {earliest, latest committed-visible end}. */
    private Map<TopicPartition, long[]> offsets(List<String> unavailable) {
        Map<TopicPartition, long[]> out = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        Set<TopicPartition> parts = new HashSet<>(follower.positions().keySet());
        if (parts.isEmpty()) {
            return out;
        }
        try {
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            parts.forEach(tp -> {
                earliest.put(tp, OffsetSpec.earliest());
                latest.put(tp, OffsetSpec.latest());
            });
            var starts = admin.listOffsets(earliest).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            // read_committed: the last stable offset, what a committed consumer can reach (lag is measured against it).
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(ADMIN_TIMEOUT.toMillis(),
                    TimeUnit.MILLISECONDS);
            parts.forEach(tp -> out.put(tp, new long[] {starts.get(tp).offset(), ends.get(tp).offset()}));
        } catch (Exception e) {
            unavailable.add("Kafka offsets: " + rootMessage(e));
        }
        return out;
    }

    private List<ObjectNode> lag(Map<TopicPartition, long[]> offsets, List<String> unavailable) {
        List<ObjectNode> out = new ArrayList<>();
        if (offsets.isEmpty()) {
            return out;
        }
        try {
            List<String> groups = admin.listGroups().all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).stream().map(GroupListing::groupId)
                    .sorted().toList();
            for (String group : groups) {
                Map<TopicPartition, OffsetAndMetadata> committed;
                try {
                    committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception notAConsumerGroup) {
                    continue;
                }
                Map<TopicPartition, Long> positions = follower.positions();
                Map<TopicPartition, Long> lastRecords = follower.lastRecordOffsets();
                committed.forEach((tp, om) -> {
                    long[] o = offsets.get(tp);
                    if (o != null && om != null) {
                        out.add(JSON.createObjectNode().put("group", group).put("service", serviceOf(group)).put("topic", tp.topic())
                                .put("partition", tp.partition()).put("committed", om.offset()).put("end", o[1])
                                .put("lag", recordsBehind(om.offset(), o[1], lastRecords.get(tp), positions.get(tp))));
                    }
                });
            }
        } catch (Exception e) {
            unavailable.add("Kafka consumer groups: " + rootMessage(e));
        }
        out.sort(java.util.Comparator.comparing((ObjectNode n) -> n.get("group").asText()).thenComparing(n -> n.get("topic").asText())
                .thenComparingInt(n -> n.get("partition").asInt()));
        return out;
    }

    /**
     * Records a group has still to read. On a transactional topic the commit marker after the last
     * record takes an offset too, so a group that committed past its last record shows an offset lag
     * of 1 per partition with nothing to read (Kafka's own tools show that 1): when this view has read
     * the partition to its end and no record lies at or after the committed offset, the lag is 0.
     */
    static long recordsBehind(long committed, long end, Long lastRecordOffset, Long followerPosition) {
        long offsets = Math.max(0, end - committed);
        if (offsets > 0 && lastRecordOffset != null && followerPosition != null && followerPosition >= end && committed > lastRecordOffset) {
            return 0;
        }
        return offsets;
    }

    private String serviceOf(String group) {
        if (group.equals(names.enrichAppId())) {
            return "enrich-streams";
        }
        return group.equals(names.sinkGroup()) ? "index-sink" : "subscriber";
    }

    /** Records per second of a series over the last {@link #RATE_WINDOW}, from the samples. */
    double rate(String series) {
        synchronized (samples) {
            if (samples.size() < 2) {
                return 0;
            }
            Sample last = samples.peekLast();
            Sample from = null;
            for (Sample s : samples) {
                if (last.at() - s.at() <= RATE_WINDOW.toMillis()) {
                    from = s;
                    break;
                }
            }
            if (from == null || from == last) {
                return 0;
            }
            Long a = from.counts().get(series);
            Long b = last.counts().get(series);
            return a == null || b == null ? 0 : Math.max(0, b - a) * 1000.0 / (last.at() - from.at());
        }
    }

    /** Per-interval rates of a series over the kept samples, oldest first: the sparkline. */
    ArrayNode sparkline(String series) {
        ArrayNode out = JSON.createArrayNode();
        synchronized (samples) {
            Sample previous = null;
            for (Sample s : samples) {
                if (previous != null) {
                    Long a = previous.counts().get(series);
                    Long b = s.counts().get(series);
                    out.addArray().add(s.at()).add(a == null || b == null ? 0 : Math.max(0, b - a) * 1000.0 / Math.max(1, s.at() - previous.at()));
                }
                previous = s;
            }
        }
        return out;
    }

    private ArrayNode topicsJson(Map<String, Long> counts, Map<TopicPartition, long[]> offsets, List<ObjectNode> lag) {
        ArrayNode out = JSON.createArrayNode();
        for (String topic : follower.counts().keySet()) {
            ObjectNode t = out.addObject();
            t.put("topic", topic).put("role", role(topic)).put("records", counts.getOrDefault(topic, 0L)).put("perSecond", rate(topic));
            ArrayNode partitions = t.putArray("partitions");
            offsets.forEach((tp, o) -> {
                if (tp.topic().equals(topic)) {
                    partitions.addObject().put("partition", tp.partition()).put("start", o[0]).put("end", o[1]);
                }
            });
            ArrayNode groups = t.putArray("groups");
            Map<String, Long> lagByGroup = new TreeMap<>();
            lag.stream().filter(l -> l.get("topic").asText().equals(topic)).forEach(l -> lagByGroup.merge(l.get("group").asText(), l.get("lag").asLong(), Long::sum));
            lagByGroup.forEach((g, l) -> groups.addObject().put("group", g).put("service", serviceOf(g)).put("lag", l));
            t.set("sparkline", sparkline(topic));
        }
        return out;
    }

    private String role(String topic) {
        if (topic.equals(names.raw())) {
            return "raw items (ingest-producer → enrich-streams)";
        }
        if (topic.equals(names.tagged())) {
            return "tagged items (enrich-streams → index-sink, subscribers)";
        }
        if (topic.equals(names.files())) {
            return "file lifecycle events";
        }
        if (topic.equals(names.dlq())) {
            return "dead letters";
        }
        return topic.startsWith(names.tagTopicPrefix()) ? "items of one tag" : "";
    }

    private ObjectNode pipelineJson(long now, Map<String, Long> counts, Long documents, List<ObjectNode> lag, List<String> unavailable) {
        ObjectNode p = JSON.createObjectNode();
        p.put("at", now);
        List<FileEvent> events = files.decode(follower.fileEvents());
        long processed = events.stream().filter(e -> e.getStatus() == FileStatus.PROCESSED).count();
        long failed = events.stream().filter(e -> e.getStatus() == FileStatus.FAILED).count();
        long skipped = events.size() - processed - failed;
        long lastMinute = events.stream().filter(e -> now - e.getFinishedAt().toEpochMilli() <= 60_000).count();
        ArrayNode stages = p.putArray("stages");
        stages.addObject().put("id", "inbox").put("label", "inbox").put("count", inboxFiles(unavailable)).put("unit", "files waiting")
                .put("rate", lastMinute).put("rateUnit", "files/min")
                .put("detail", processed + " processed, " + failed + " failed, " + skipped + " skipped");
        stages.addObject().put("id", "raw").put("label", names.raw()).put("count", counts.getOrDefault(names.raw(), 0L)).put("unit", "records")
                .put("rate", rate(names.raw())).put("rateUnit", "items/s").put("detail", "ingest-producer");
        stages.addObject().put("id", "tagged").put("label", names.tagged()).put("count", counts.getOrDefault(names.tagged(), 0L)).put("unit", "records")
                .put("rate", rate(names.tagged())).put("rateUnit", "items/s").put("detail", "enrich-streams: dedup and tags");
        ObjectNode index = stages.addObject().put("id", "index").put("label", names.alias()).put("unit", "documents").put("rate", rate("index"))
                .put("rateUnit", "docs/s").put("detail", "index-sink → Elasticsearch");
        if (documents != null) {
            index.put("count", documents);
        } else {
            index.putNull("count");
        }
        ObjectNode fileCounts = p.putObject("files");
        fileCounts.put("processed", processed).put("failed", failed).put("skipped", skipped).put("perMinute", lastMinute);
        ObjectNode dlq = p.putObject("dlq");
        dlq.put("records", counts.getOrDefault(names.dlq(), 0L));
        Map<String, Long> byStage = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : follower.deadLetters()) {
            Header h = r.headers().lastHeader(DeadLetterHeaders.STAGE);
            byStage.merge(h == null ? "(unknown)" : new String(h.value(), java.nio.charset.StandardCharsets.UTF_8), 1L, Long::sum);
        }
        dlq.set("byStage", JSON.valueToTree(byStage));
        p.set("lag", JSON.valueToTree(lag));
        ArrayNode services = p.putArray("services");
        service(services, "ingest-producer", endpoints.ingestHttpPort());
        service(services, "enrich-streams", endpoints.enrichHttpPort());
        service(services, "index-sink", endpoints.sinkHttpPort());
        p.set("reconciliation", reconciliation);
        p.set("unavailable", JSON.valueToTree(unavailable));
        return p;
    }

    private long inboxFiles(List<String> unavailable) {
        try (var list = Files.list(inbox)) {
            return list.filter(f -> !f.getFileName().toString().startsWith(".")).count();
        } catch (IOException e) {
            unavailable.add("inbox " + inbox + ": " + e);
            return 0;
        }
    }

    private void service(ArrayNode services, String name, int port) {
        ObjectNode s = services.addObject().put("name", name).put("health", "http://127.0.0.1:" + port + "/health");
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            s.put("ready", body.path("ready").asBoolean(false)).put("live", body.path("live").asBoolean(false)).put("detail", body.path("detail").asText(""));
        } catch (IOException e) {
            s.put("ready", false).put("live", false).put("detail", "no answer from its health endpoint: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RecentProblems.Problem last = problems.last(name);
        if (last != null) {
            s.set("lastProblem", JSON.valueToTree(last));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    @Override
    public void close() {
        ticks.shutdownNow();
        reconciliations.shutdownNow();
    }
}
