package dev.digestflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.digestflow.app.console.ConsoleServer;
import dev.digestflow.app.console.ConsoleSettings;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.id.ItemIds;
import dev.digestflow.schema.registry.RestSchemaRegistryClient;
import dev.digestflow.schema.registry.SchemaRegistryException;
import dev.digestflow.schema.serde.WireFormat;
import dev.digestflow.service.kafka.TopicSnapshot;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestProducers;
import dev.digestflow.teststack.TestStack;
import dev.digestflow.teststack.TestStackExtension;

/**
 * The console on the real broker, registry and Elasticsearch node, after the three samples and a bad
 * file went through the pipeline: its JSON API (counts per stage, lag, decoded records, files with
 * reasons, dead letters), a real browser on every page (Debian's chromium through chromedriver), and a
 * dead letter replayed after its cause is fixed, indexed once however often it is replayed.
 */
@ExtendWith(TestStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final List<String> SAMPLES = List.of("000_545bdede27ca3e01.txt", "003_19fcee2af990f575.txt", "004_daa9faf00548796a.txt");
    private static final int SAMPLE_ITEMS = 89;
    private static final String POISON_TITLE = "A record written before its schema was registered";
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private TestStack stack;
    private PipelineNames names;
    private Path home;
    private Pipeline pipeline;
    private ConsoleServer console;
    private int poisonSchemaId;
    private Schema evolvedSchema;

    @BeforeAll
    void ingestTheSamplesAndABadFile(TestStack stack, TestNames testNames) throws Exception {
        this.stack = stack;
        this.names = PipelineNames.prefixed(testNames.group("console"));
        this.home = Files.createTempDirectory("console-it");
        Path drops = Files.createDirectories(home.resolve("drops"));
        for (String s : SAMPLES) {
            try (InputStream in = getClass().getResourceAsStream("/samples/" + s)) {
                Files.write(drops.resolve(s), in.readAllBytes());
            }
        }
        Files.write(drops.resolve("broken.json"), "{\"items\": [ {\"title\": \"truncated".getBytes(StandardCharsets.UTF_8));
        pipeline = Pipeline.start(stack.bootstrapServers(), stack.registryUrl(), stack.elasticsearchUrl(), names, home, Pipeline.Ports.any());
        await().atMost(Duration.ofMinutes(2)).until(pipeline::ready);
        console = ConsoleServer.start(ConsoleSettings.of("127.0.0.1", 0, Map.of()), pipeline.endpoints(), names, home);
        for (String s : SAMPLES) {
            IngestCommand.drop(drops.resolve(s), home.resolve("inbox"));
        }
        IngestCommand.drop(drops.resolve("broken.json"), home.resolve("inbox"));
        await().atMost(Duration.ofMinutes(2)).until(() -> stage(get("/api/pipeline"), "index").path("count").asLong() == SAMPLE_ITEMS);
    }

    @AfterAll
    void stop() throws Exception {
        if (console != null) {
            console.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    @Order(1)
    void theApiCountsEveryStageAndShowsLagRecordsAndFiles() throws Exception {
        JsonNode p = await().atMost(Duration.ofSeconds(90)).until(() -> get("/api/pipeline"),
                n -> n.path("reconciliation").path("reconciled").asBoolean(false) && stage(n, "tagged").path("count").asLong() == SAMPLE_ITEMS);
        assertThat(stage(p, "raw").path("count").asLong()).isEqualTo(SAMPLE_ITEMS);
        assertThat(p.path("files").path("processed").asLong()).isEqualTo(3);
        assertThat(p.path("files").path("failed").asLong()).isEqualTo(1);
        assertThat(p.path("reconciliation").path("verdict").asText()).startsWith("reconciled: 89 items announced = 89 published");
        assertThat(p.path("dlq").path("records").asLong()).isZero();
        // Lag per partition for both services, caught up once everything is indexed (commit markers are not records).
        JsonNode caughtUp = await().atMost(Duration.ofSeconds(60)).until(() -> get("/api/pipeline"),
                n -> n.path("lag").size() > 0 && sum(n.path("lag"), "lag") == 0);
        List<String> groups = new ArrayList<>();
        caughtUp.path("lag").forEach(l -> groups.add(l.path("group").asText() + " " + l.path("topic").asText()));
        assertThat(groups).contains(names.enrichAppId() + " " + names.raw(), names.sinkGroup() + " " + names.tagged());
        assertThat(p.path("services").findValuesAsText("name")).containsExactly("ingest-producer", "enrich-streams", "index-sink");
        p.path("services").forEach(s -> assertThat(s.path("ready").asBoolean()).as(s.toString()).isTrue());

        JsonNode topics = get("/api/topics");
        JsonNode raw = find(topics, "topic", names.raw());
        assertThat(raw.path("records").asLong()).isEqualTo(SAMPLE_ITEMS);
        assertThat(raw.path("partitions").size()).isPositive();
        assertThat(raw.path("groups").findValuesAsText("group")).contains(names.enrichAppId());

        JsonNode records = get("/api/topics/" + names.tagged() + "/records?limit=5");
        assertThat(records.size()).isEqualTo(5);
        JsonNode first = records.get(0);
        assertThat(first.path("value").path("schemaId").asInt()).isPositive();
        assertThat(first.path("value").path("value").path("item").path("title").asText()).isNotBlank();
        assertThat(first.path("value").path("value").path("tags").isArray()).isTrue();
        assertThat(first.path("key").asText()).isEqualTo(first.path("value").path("value").path("item").path("itemId").asText());
        assertThat(status("/api/topics/not-a-digestflow-topic/records")).isEqualTo(404);

        JsonNode files = get("/api/files").path("files");
        JsonNode failed = find(files, "status", "failed");
        assertThat(failed.path("fileName").asText()).isEqualTo("broken.json");
        String errorFile = Files.readString(Path.of(failed.path("path").asText() + ".error.txt")).strip();
        assertThat(failed.path("reason").asText()).isEqualTo(errorFile).isNotBlank();
        long processedItems = 0;
        for (JsonNode f : files) {
            if (f.path("status").asText().equals("processed")) {
                processedItems += f.path("newItems").asLong();
                assertThat(f.path("secondsToSearchable").asDouble()).isPositive();
            }
        }
        assertThat(processedItems).isEqualTo(SAMPLE_ITEMS);

        JsonNode items = get("/api/items");
        assertThat(items.path("total").asLong()).isEqualTo(SAMPLE_ITEMS);
        assertThat(items.path("topTags").size()).isPositive();
        assertThat(items.path("overTime").path("series").size()).isPositive();
        String tag = items.path("topTags").get(0).path("key").asText();
        assertThat(get("/api/items?tag=" + tag).path("total").asLong()).isEqualTo(items.path("topTags").get(0).path("count").asLong());
        assertThat(status("/api/items?q=title:(unbalanced")).isEqualTo(400);
    }

    @Test
    @Order(2)
    void aRecordWhoseSchemaIsUnknownIsDeadLetteredAndListedWithItsReason() throws Exception {
        // A producer wrote before registering its schema (version 2 of DigestItem, one optional field more):
        // enrich-streams cannot decode it (the registry answers 404 for the id) and dead-letters it.
        RestSchemaRegistryClient registry = RestSchemaRegistryClient.forUrl(stack.registryUrl());
        poisonSchemaId = nextSchemaId(registry);
        evolvedSchema = withNoteField(DigestItem.getClassSchema());
        TestProducers.sendBytes(stack, names.raw(), ItemIds.of(POISON_TITLE).getBytes(StandardCharsets.UTF_8), poisonValue());

        JsonNode letters = await().atMost(Duration.ofMinutes(1)).until(() -> get("/api/dead-letters").path("letters"), l -> l.size() == 1);
        JsonNode letter = letters.get(0);
        assertThat(letter.path("stage").asText()).startsWith("enrich-streams");
        assertThat(letter.path("originalTopic").asText()).isEqualTo(names.raw());
        assertThat(letter.path("itemId").asText()).isEqualTo(ItemIds.of(POISON_TITLE));
        assertThat(letter.path("replayable").asBoolean()).isTrue();
        assertThat(letter.path("payload").path("undecodable").asText()).contains("schema id " + poisonSchemaId);
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/pipeline").path("dlq").path("records").asLong() == 1);
    }

    @Test
    @Order(3)
    void aRealBrowserShowsEveryPage() throws Exception {
        Files.createDirectories(SCREENSHOTS);
        ChromeDriver browser = Browser.open(home.resolve("chromium-profile"));
        try {
            // Pipeline: the flow with live counts, the reconciliation in green, the services, the lag.
            browser.get(console.url() + "/");
            await().atMost(Duration.ofSeconds(60)).until(() -> text(browser, "[data-stage=index] .count").equals(String.valueOf(SAMPLE_ITEMS)));
            await().atMost(Duration.ofSeconds(90)).until(() -> browser.findElement(By.cssSelector("[data-test=verdict]")).getAttribute("class").contains("ok"));
            assertThat(text(browser, "[data-stage=dlq] .count")).isEqualTo("1");
            assertThat(text(browser, "[data-test=services]")).contains("ingest-producer", "enrich-streams", "index-sink").doesNotContain("down");
            assertThat(text(browser, "[data-test=lag]")).contains(names.enrichAppId(), names.sinkGroup());
            screenshot(browser, "1-pipeline");

            // Topics: every digestflow topic, a drawn sparkline each, and the latest records decoded.
            browser.get(console.url() + "/topics");
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElements(By.cssSelector("[data-test=topics] tr[data-topic]")).size() >= 4);
            assertThat(text(browser, "[data-test=topics]")).contains(names.raw(), names.tagged(), names.files(), names.dlq());
            assertThat(drawn(browser, "[data-test=sparkline]")).isTrue();
            browser.findElement(By.linkText(names.tagged())).click();
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElements(By.cssSelector("[data-test=records] tr")).size() > 1);
            assertThat(text(browser, "[data-test=records]")).contains("\"title\"", "\"tags\"");
            screenshot(browser, "2-topics");

            // Files: three processed, the failed one with the reason from its .error.txt.
            browser.get(console.url() + "/files");
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElements(By.cssSelector("[data-test=files] tr[data-status]")).size() == 4);
            assertThat(browser.findElements(By.cssSelector("tr[data-status=processed]"))).hasSize(3);
            WebElement failed = browser.findElement(By.cssSelector("tr[data-status=failed]"));
            assertThat(failed.getText()).contains("broken.json");
            JsonNode failedRow = find(get("/api/files").path("files"), "status", "failed");
            String firstLine = failedRow.path("reason").asText().lines().findFirst().orElseThrow();
            assertThat(failed.findElement(By.cssSelector("[data-test=reason]")).getText()).contains(firstLine);
            screenshot(browser, "3-files");

            // Dead letters: the record of step 2 with its stage, item id, origin and reason.
            browser.get(console.url() + "/dead-letters");
            await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElements(By.cssSelector("[data-test=dead-letters] tr[data-coordinates]")).size() == 1);
            assertThat(text(browser, "[data-test=dead-letters]")).contains("enrich-streams", ItemIds.of(POISON_TITLE), names.raw());
            screenshot(browser, "4-dead-letters");

            // Items: the 89 items, their tags, both charts drawn.
            browser.get(console.url() + "/items");
            await().atMost(Duration.ofSeconds(30)).until(() -> text(browser, "[data-test=total]").startsWith(SAMPLE_ITEMS + " items"));
            JsonNode api = get("/api/items");
            List<String> topTags = new ArrayList<>();
            api.path("topTags").forEach(b -> topTags.add(b.path("key").asText()));
            topTags.remove("Other");
            String shownTags = text(browser, "[data-test=items]");
            assertThat(topTags).anySatisfy(t -> assertThat(shownTags).contains(t));
            assertThat(browser.findElements(By.cssSelector("[data-test=items] tr[data-item]"))).hasSize(Math.min(50, SAMPLE_ITEMS));
            assertThat(drawn(browser, "#chart-top-tags")).isTrue();
            assertThat(drawn(browser, "#chart-over-time")).isTrue();
            Object bars = ((JavascriptExecutor) browser).executeScript(
                    "return echarts.getInstanceByDom(document.getElementById('chart-top-tags')).getOption().yAxis[0].data;");
            assertThat(bars).asList().containsAll(topTags.subList(0, Math.min(5, topTags.size())));
            screenshot(browser, "5-items");

            List<String> problems = new ArrayList<>();
            for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
                if (e.getLevel().intValue() >= Level.WARNING.intValue()) {
                    problems.add(e.getLevel() + " " + e.getMessage());
                }
            }
            assertThat(problems).as("the browser's console").isEmpty();
        } finally {
            browser.quit();
        }
    }

    @Test
    @Order(4)
    void aDeadLetterReplayedOnceItsCauseIsFixedIsIndexedOnceHoweverOftenItIsReplayed() throws Exception {
        String coordinates = get("/api/dead-letters").path("letters").get(0).path("coordinates").asText();
        String body = "{\"letters\": [\"" + coordinates + "\"]}";
        // State changes only from the console's own pages (or a JSON body without an Origin).
        assertThat(post("/api/dead-letters/replay", body, "application/json", "http://evil.example")).extracting(HttpResponse::statusCode).isEqualTo(403);
        assertThat(post("/api/dead-letters/replay", body, "text/plain", null)).extracting(HttpResponse::statusCode).isEqualTo(403);

        // The cause fixed: the producer's schema registered, with the id its record names.
        int registered = RestSchemaRegistryClient.forUrl(stack.registryUrl()).register(names.raw() + "-value", evolvedSchema);
        assertThat(registered).isEqualTo(poisonSchemaId);
        HttpResponse<String> replay = post("/api/dead-letters/replay", body, "application/json", console.url());
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(JSON.readTree(replay.body()).path("replayed").size()).isEqualTo(1);

        await().atMost(Duration.ofMinutes(1)).until(() -> get("/api/items").path("total").asLong() == SAMPLE_ITEMS + 1);
        assertThat(get("/api/items?q=" + java.net.URLEncoder.encode("\"" + POISON_TITLE + "\"", StandardCharsets.UTF_8)).path("total").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/dead-letters").path("letters").get(0).has("replayedAt"));

        // Again: dedup drops the second copy; still one document and one tagged record of the item.
        assertThat(post("/api/dead-letters/replay", body, "application/json", console.url()).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofMinutes(1)).until(() -> rawRecordsOf(ItemIds.of(POISON_TITLE)) == 3);
        // Both services caught up with the second replay (no record left to read), then: one tagged record, one document.
        await().atMost(Duration.ofMinutes(1)).until(() -> get("/api/pipeline"), n -> n.path("lag").size() > 0 && sum(n.path("lag"), "lag") == 0);
        assertThat(taggedRecordsOf(ItemIds.of(POISON_TITLE))).isEqualTo(1);
        assertThat(get("/api/items").path("total").asLong()).isEqualTo(SAMPLE_ITEMS + 1);
        assertThat(get("/api/pipeline").path("dlq").path("records").asLong()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ helpers

    private long rawRecordsOf(String key) {
        return recordsOf(names.raw(), key);
    }

    private long taggedRecordsOf(String key) {
        return recordsOf(names.tagged(), key);
    }

    private long recordsOf(String topic, String key) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return TopicSnapshot.readAll(consumer, topic, Duration.ofSeconds(30)).stream()
                    .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(key)).count();
        }
    }

    /** The id the registry gives the next new schema: one past the highest it knows (its ids count up from 1). */
    private static int nextSchemaId(RestSchemaRegistryClient registry) {
        int id = 1;
        while (true) {
            try {
                registry.getById(id);
                id++;
            } catch (SchemaRegistryException unknown) {
                return id;
            }
        }
    }

    private static Schema withNoteField(Schema v1) {
        List<Schema.Field> fields = new ArrayList<>();
        v1.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(new Schema.Field("note", Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)), "added in v2",
                Schema.Field.NULL_DEFAULT_VALUE));
        return Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);
    }

    /**
     * The item in version 2's binary form: Avro writes a record as its fields in order, so version
     * 1's bytes followed by the new last field (union branch 0, null: one zero byte) are version 2's.
     */
    private byte[] poisonValue() throws IOException {
        DigestItem template;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            byte[] any = TopicSnapshot.readAll(consumer, names.raw(), Duration.ofSeconds(30)).get(0).value();
            var decoder = org.apache.avro.io.DecoderFactory.get().binaryDecoder(any, WireFormat.HEADER_SIZE, any.length - WireFormat.HEADER_SIZE, null);
            template = new org.apache.avro.specific.SpecificDatumReader<>(DigestItem.class).read(null, decoder);
        }
        DigestItem item = DigestItem.newBuilder(template).setItemId(ItemIds.of(POISON_TITLE)).setTitle(POISON_TITLE).build();
        var out = new java.io.ByteArrayOutputStream();
        out.write(WireFormat.MAGIC_BYTE);
        out.write(ByteBuffer.allocate(4).putInt(poisonSchemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(DigestItem.class).write(item, encoder);
        encoder.writeIndex(0);
        encoder.flush();
        return out.toByteArray();
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(console.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private int status(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(console.url() + path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpResponse<String> post(String path, String body, String contentType, String origin) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(console.url() + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode stage(JsonNode pipeline, String id) {
        return find(pipeline.path("stages"), "id", id);
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (n.path(field).asText().equals(value)) {
                return n;
            }
        }
        throw new AssertionError("no element with " + field + "=" + value + " in " + array);
    }

    private static long sum(JsonNode array, String field) {
        long s = 0;
        for (JsonNode n : array) {
            s += n.path(field).asLong();
        }
        return s;
    }

    private static String text(ChromeDriver browser, String css) {
        List<WebElement> found = browser.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    /** A chart is drawn when ECharts rendered a canvas of some size into the element. */
    private static boolean drawn(ChromeDriver browser, String css) {
        Object ok = ((JavascriptExecutor) browser).executeScript("const e = document.querySelector(arguments[0]);"
                + " const c = e && e.querySelector('canvas'); return !!(c && c.width > 0 && c.height > 0 && echarts.getInstanceByDom(e));", css);
        return Boolean.TRUE.equals(ok);
    }

    private static void screenshot(ChromeDriver browser, String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    }

    /** Debian's chromium and chromedriver; missing, the test fails and says how to install them. */
    static final class Browser {
        static final Path CHROMIUM = Path.of(System.getProperty("digestflow.chromium", "/usr/bin/chromium"));
        static final Path CHROMEDRIVER = Path.of(System.getProperty("digestflow.chromedriver", "/usr/bin/chromedriver"));

        static ChromeDriver open(Path profile) {
            assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                    .as("the console's browser test needs Debian's chromium and chromedriver (" + CHROMIUM + ", " + CHROMEDRIVER
                            + "): apt-get install chromium chromium-driver (.ci/run installs them), or point -Ddigestflow.chromium and "
                            + "-Ddigestflow.chromedriver at others")
                    .isTrue();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            // The flags this machine needs: no sandbox as root, and no background calls to Google's hosts on a closed network.
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1100", "--user-data-dir=" + profile.toAbsolutePath());
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString())).build();
            return new ChromeDriver(service, options);
        }
    }
}
