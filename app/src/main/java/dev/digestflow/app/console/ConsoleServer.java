package dev.digestflow.app.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.ElasticsearchTransport;
import dev.digestflow.app.Endpoints;
import dev.digestflow.app.PipelineNames;
import dev.digestflow.app.RecordJson;
import dev.digestflow.app.StatusReport;
import dev.digestflow.app.dlq.DeadLetter;
import dev.digestflow.app.dlq.DeadLetterQueue;
import dev.digestflow.schema.FileEvent;
import dev.digestflow.schema.registry.CachedSchemaRegistryClient;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import dev.digestflow.schema.serde.ConfluentAvroDeserializer;
import dev.digestflow.sink.config.SinkConfig;
import dev.digestflow.sink.index.ElasticsearchClients;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;

/**
 * The console of {@code ./digestflow up}: five pages (Pipeline, Topics, Files, Dead letters,
 * Items) over a JSON API, live by server-sent events, served by Javalin from the classpath with the
 * chart library from its WebJar, so it works offline. It reads the pipeline as any outside client
 * does (Kafka, the registry, Elasticsearch, the services' health endpoints); the one thing it
 * changes is the dead-letter replay, a POST checked by {@link RequestGuard}.
 *
 * <h2>API</h2>
 * <ul>
 * <li>{@code GET /api/pipeline}: counts and rates per stage, lag per partition, DLQ count, service health, last problems, reconciliation</li>
 * <li>{@code GET /api/topics}, {@code GET /api/topics/{topic}/records?limit=N}: topics, and their latest records decoded through the registry</li>
 * <li>{@code GET /api/files}: the file lifecycle, with reasons of failed files</li>
 * <li>{@code GET /api/dead-letters}, {@code POST /api/dead-letters/replay} ({@code {"letters": ["0@3"]}} or {@code {"stage": .., "id": ..}})</li>
 * <li>{@code GET /api/items?q=&tag=&format=&file=}: search, top tags, items over time by tag</li>
 * <li>{@code GET /api/events}: server-sent events {@code pipeline}, {@code topics}, {@code files}</li>
 * </ul>
 */
public final class ConsoleServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> PAGES = List.of("/", "/topics", "/files", "/dead-letters", "/items");
    private static final int RECORDS_MAX = TopicFollower.LATEST_KEPT;
    private static final Duration DLQ_READ_TIMEOUT = Duration.ofSeconds(30);

    private final Javalin app;
    private final String url;
    private final List<AutoCloseable> resources;

    private ConsoleServer(Javalin app, String url, List<AutoCloseable> resources) {
        this.app = app;
        this.url = url;
        this.resources = resources;
    }

    public String url() {
        return url;
    }

    public static ConsoleServer start(ConsoleSettings settings, Endpoints endpoints, PipelineNames names, Path home) throws IOException {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            return start(settings, endpoints, names, home, resources);
        } catch (RuntimeException | IOException e) {
            closeAll(resources);
            throw e;
        }
    }

    private static ConsoleServer start(ConsoleSettings settings, Endpoints endpoints, PipelineNames names, Path home, List<AutoCloseable> resources)
            throws IOException {
        RecentProblems problems = RecentProblems.attach();
        resources.add(problems::stop);
        Map<String, Object> consumerProps = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(), ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed", ConsumerConfig.CLIENT_ID_CONFIG, "digestflow-console");
        Set<String> fixed = Set.of(names.files(), names.raw(), names.tagged(), names.dlq());
        TopicFollower follower = new TopicFollower(new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                t -> fixed.contains(t) || t.startsWith(names.tagTopicPrefix()), names.files(), names.dlq());
        resources.add(follower);
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers(), AdminClientConfig.CLIENT_ID_CONFIG,
                "digestflow-console", AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000));
        resources.add(admin);
        // Short timeouts: a page says "Elasticsearch unavailable" rather than hang with it.
        ElasticsearchTransport transport = ElasticsearchClients.transport(new SinkConfig(Map.of(SinkConfig.ES_URLS, endpoints.elasticsearchUrl(),
                SinkConfig.ES_CONNECT_TIMEOUT_MS, 1000, SinkConfig.ES_REQUEST_TIMEOUT_MS, 5000)));
        resources.add(transport);
        ElasticsearchClient es = new ElasticsearchClient(transport);
        Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, endpoints.registryUrl());
        RecordJson decoder = new RecordJson(CachedSchemaRegistryClient.fromConfig(new AvroSerdeConfig(serde)));
        ConfluentAvroDeserializer<FileEvent> fileEvents = new ConfluentAvroDeserializer<>(FileEvent.class);
        fileEvents.configure(serde, false);
        FilesView files = new FilesView(fileEvents, es, names.alias());
        ItemSearch items = new ItemSearch(es, names.alias());
        LiveView live = new LiveView(endpoints, names, home, follower, admin, es, files, problems, () -> {
            try {
                return StatusReport.collect(endpoints, names);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        resources.add(live);
        DeadLetterQueue dlq = new DeadLetterQueue(names.dlq());
        Replayer replayer = new Replayer(endpoints, dlq);
        resources.add(replayer);
        RequestGuard guard = new RequestGuard(settings);
        String page = resource("/console/index.html");
        List<SseClient> clients = new CopyOnWriteArrayList<>();

        Javalin app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.staticFiles.add(files1 -> {
                files1.hostedPath = "/static";
                files1.directory = "/console";
                files1.location = Location.CLASSPATH;
            });
            config.staticFiles.enableWebjars();
        });
        app.before(ctx -> {
            RequestGuard.Verdict v = guard.check(ctx.method().name(), ctx.header("Host"), ctx.header("Origin"), ctx.header("Content-Type"),
                    ctx.header("Authorization"));
            if (!v.allowed()) {
                if (v.status() == 401) {
                    ctx.header("WWW-Authenticate", "Basic realm=\"digestflow console\", charset=\"UTF-8\"");
                }
                throw new HttpResponseException(v.status(), v.reason());
            }
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("X-Frame-Options", "DENY");
            ctx.header("Referrer-Policy", "no-referrer");
            ctx.header("Content-Security-Policy",
                    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'");
        });
        for (String path : PAGES) {
            app.get(path, ctx -> ctx.html(page));
        }
        app.get("/api/pipeline", ctx -> json(ctx, live.pipeline()));
        app.get("/api/topics", ctx -> json(ctx, live.topics()));
        app.get("/api/topics/{topic}/records", ctx -> {
            String topic = ctx.pathParam("topic");
            if (!follower.counts().containsKey(topic)) {
                throw new HttpResponseException(404, "not a digestflow topic: " + topic);
            }
            int limit = Math.max(1, Math.min(RECORDS_MAX, ctx.queryParamAsClass("limit", Integer.class).getOrDefault(20)));
            ArrayNode out = JSON.createArrayNode();
            for (ConsumerRecord<byte[], byte[]> r : follower.latest(topic, limit)) {
                ObjectNode n = out.addObject().put("topic", r.topic()).put("partition", r.partition()).put("offset", r.offset()).put("timestamp", r.timestamp())
                        .put("key", r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
                ObjectNode headers = n.putObject("headers");
                for (Header h : r.headers()) {
                    headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
                }
                n.set("value", decoder.decode(r.value()));
            }
            json(ctx, out);
        });
        app.get("/api/files", ctx -> {
            List<String> unavailable = new ArrayList<>();
            ArrayNode rows = files.rows(follower.fileEvents(), unavailable);
            ObjectNode out = JSON.createObjectNode();
            out.set("files", rows);
            out.set("unavailable", JSON.valueToTree(unavailable));
            json(ctx, out);
        });
        app.get("/api/dead-letters", ctx -> {
            List<ConsumerRecord<byte[], byte[]>> records = follower.deadLetters();
            Map<String, Long> replayed = follower.replayed();
            ObjectNode out = JSON.createObjectNode();
            out.put("topic", names.dlq()).put("total", follower.counts().getOrDefault(names.dlq(), 0L)).put("shown", records.size());
            ArrayNode letters = out.putArray("letters");
            for (int i = records.size() - 1; i >= 0; i--) {
                DeadLetter d = DeadLetter.of(records.get(i));
                ObjectNode n = d.toJson();
                Long at = replayed.get(names.dlq() + "/" + d.coordinates());
                if (at != null) {
                    n.put("replayedAt", at);
                }
                n.set("payload", decoder.decode(d.value()));
                letters.add(n);
            }
            json(ctx, out);
        });
        app.post("/api/dead-letters/replay", ctx -> {
            JsonNode body;
            try {
                body = JSON.readTree(ctx.body().isBlank() ? "{}" : ctx.body());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new HttpResponseException(400, "the body is not JSON: " + e.getOriginalMessage());
            }
            Set<String> coordinates = new HashSet<>();
            body.path("letters").forEach(n -> coordinates.add(n.asText()));
            String stage = body.hasNonNull("stage") ? body.get("stage").asText() : null;
            String id = body.hasNonNull("id") ? body.get("id").asText() : null;
            if (coordinates.isEmpty() && stage == null && id == null) {
                throw new HttpResponseException(400, "say which dead letters to replay: letters, stage or id");
            }
            DeadLetterQueue.Replay replay = replayer.replay(coordinates, stage, id, body.path("dryRun").asBoolean(false));
            LOG.info("console: {}", replay.render().strip().replace(System.lineSeparator(), "; "));
            ObjectNode out = JSON.createObjectNode().put("dryRun", replay.dryRun());
            ArrayNode done = out.putArray("replayed");
            replay.replayed().forEach(d -> done.addObject().put("coordinates", d.coordinates()).put("itemId", d.itemId()).put("topic", d.originalTopic()));
            out.set("refused", JSON.valueToTree(replay.refused()));
            json(ctx, out);
        });
        app.get("/api/items", ctx -> {
            try {
                json(ctx, items.search(ctx.queryParam("q"), ctx.queryParam("tag"), ctx.queryParam("format"), ctx.queryParam("file"), 50));
            } catch (ItemSearch.BadQueryException e) {
                throw new HttpResponseException(400, "Elasticsearch cannot run this query: " + e.getMessage());
            }
        });
        app.sse("/api/events", client -> {
            client.keepAlive();
            client.onClose(() -> clients.remove(client));
            clients.add(client);
            client.sendEvent("pipeline", live.pipeline().toString());
            client.sendEvent("topics", live.topics().toString());
        });
        app.exception(HttpResponseException.class, (e, ctx) -> ctx.status(e.getStatus()).json(Map.of("error", e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.warn("console: {} {} failed: {}", ctx.method(), ctx.path(), e.toString());
            ctx.status(503).json(Map.of("error", "unavailable: " + e.getMessage()));
        });
        live.onUpdate((event, data) -> clients.forEach(c -> {
            if (c.terminated()) {
                clients.remove(c);
            } else {
                c.sendEvent(event, data);
            }
        }));
        follower.start();
        live.start();
        app.start(settings.bindAddress(), settings.port());
        resources.add(0, app::stop);
        String host = settings.bindAddress().contains(":") ? "[" + settings.bindAddress() + "]" : settings.bindAddress();
        return new ConsoleServer(app, "http://" + host + ":" + app.port(), resources);
    }

    private static void json(Context ctx, JsonNode node) {
        ctx.contentType("application/json").result(node.toString());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConsoleServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("the console's " + name + " is missing from the classpath (a broken build)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The replay: a fresh, complete read of the DLQ (not the console's kept tail), then the shared {@link DeadLetterQueue}. */
    private static final class Replayer implements AutoCloseable {
        private final Endpoints endpoints;
        private final DeadLetterQueue dlq;
        private KafkaProducer<byte[], byte[]> producer;

        Replayer(Endpoints endpoints, DeadLetterQueue dlq) {
            this.endpoints = endpoints;
            this.dlq = dlq;
        }

        synchronized DeadLetterQueue.Replay replay(Set<String> coordinates, String stage, String id, boolean dryRun) throws InterruptedException {
            DeadLetterQueue.Listing listing;
            try (KafkaConsumer<byte[], byte[]> consumer = DeadLetterQueue.consumer(endpoints.bootstrapServers(), "digestflow-console-dlq")) {
                listing = dlq.list(consumer, DLQ_READ_TIMEOUT);
            }
            if (listing.partialNote() != null) {
                throw new HttpResponseException(503, "not replaying: the dead-letter topic could not be read to its end (" + listing.partialNote() + ")");
            }
            List<DeadLetter> chosen = DeadLetterQueue.select(listing.letters(), stage, id).stream()
                    .filter(d -> coordinates.isEmpty() || coordinates.contains(d.coordinates())).toList();
            if (producer == null) {
                producer = DeadLetterQueue.producer(endpoints.bootstrapServers(), "digestflow-console-replay");
            }
            return dlq.replay(producer, chosen, dryRun);
        }

        @Override
        public synchronized void close() {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.debug("console: closing {}: {}", r, e.toString());
            }
        }
    }

    @Override
    public void close() {
        closeAll(resources);
    }
}
