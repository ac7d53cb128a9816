package dev.digestflow.app;

import static dev.digestflow.app.ConsoleFixture.POISON_TITLE;
import static dev.digestflow.app.ConsoleFixture.SAMPLE_ITEMS;
import static dev.digestflow.app.ConsoleFixture.find;
import static dev.digestflow.app.ConsoleFixture.stage;
import static dev.digestflow.app.ConsoleFixture.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.digestflow.schema.id.ItemIds;
import dev.digestflow.schema.registry.RestSchemaRegistryClient;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestStack;
import dev.digestflow.teststack.TestStackExtension;

/**
 * The console's JSON API on the real broker, registry and Elasticsearch node, after the three samples
 * and a bad file went through the pipeline: counts per stage, lag, decoded records, files with
 * reasons, search, and a dead letter replayed after its cause is fixed, indexed once however often it
 * is replayed. The pages in a real browser: {@link ConsoleBrowserIT}.
 */
@ExtendWith(TestStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private ConsoleFixture f;

    @BeforeAll
    void ingestTheSamplesAndABadFile(TestStack stack, TestNames names) throws Exception {
        f = ConsoleFixture.samplesAndABadFile(stack, PipelineNames.prefixed(names.group("console")));
    }

    @AfterAll
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Test
    @Order(1)
    void theApiCountsEveryStageAndShowsLagRecordsAndFiles() throws Exception {
        JsonNode p = await().atMost(Duration.ofSeconds(90)).until(() -> f.get("/api/pipeline"),
                n -> n.path("reconciliation").path("reconciled").asBoolean(false) && stage(n, "tagged").path("count").asLong() == SAMPLE_ITEMS);
        assertThat(stage(p, "raw").path("count").asLong()).isEqualTo(SAMPLE_ITEMS);
        assertThat(p.path("files").path("processed").asLong()).isEqualTo(3);
        assertThat(p.path("files").path("failed").asLong()).isEqualTo(1);
        assertThat(p.path("reconciliation").path("verdict").asText()).startsWith("reconciled: 89 items announced = 89 published");
        assertThat(p.path("dlq").path("records").asLong()).isZero();
        // Lag per partition for both services, caught up once everything is indexed (commit markers are not records).
        JsonNode caughtUp = await().atMost(Duration.ofSeconds(60)).until(() -> f.get("/api/pipeline"),
                n -> n.path("lag").size() > 0 && sum(n.path("lag"), "lag") == 0);
        List<String> groups = new ArrayList<>();
        caughtUp.path("lag").forEach(l -> groups.add(l.path("group").asText() + " " + l.path("topic").asText()));
        assertThat(groups).contains(f.names.enrichAppId() + " " + f.names.raw(), f.names.sinkGroup() + " " + f.names.tagged());
        assertThat(p.path("services").findValuesAsText("name")).containsExactly("ingest-producer", "enrich-streams", "index-sink");
        p.path("services").forEach(s -> assertThat(s.path("ready").asBoolean()).as(s.toString()).isTrue());

        JsonNode topics = f.get("/api/topics");
        JsonNode raw = find(topics, "topic", f.names.raw());
        assertThat(raw.path("records").asLong()).isEqualTo(SAMPLE_ITEMS);
        assertThat(raw.path("partitions").size()).isPositive();
        assertThat(raw.path("groups").findValuesAsText("group")).contains(f.names.enrichAppId());

        JsonNode records = f.get("/api/topics/" + f.names.tagged() + "/records?limit=5");
        assertThat(records.size()).isEqualTo(5);
        JsonNode first = records.get(0);
        assertThat(first.path("value").path("schemaId").asInt()).isPositive();
        assertThat(first.path("value").path("value").path("item").path("title").asText()).isNotBlank();
        assertThat(first.path("value").path("value").path("tags").isArray()).isTrue();
        assertThat(first.path("key").asText()).isEqualTo(first.path("value").path("value").path("item").path("itemId").asText());
        assertThat(f.status("/api/topics/not-a-digestflow-topic/records")).isEqualTo(404);

        JsonNode files = f.get("/api/files").path("files");
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

        JsonNode items = f.get("/api/items");
        assertThat(items.path("total").asLong()).isEqualTo(SAMPLE_ITEMS);
        assertThat(items.path("topTags").size()).isPositive();
        assertThat(items.path("overTime").path("series").size()).isPositive();
        String tag = items.path("topTags").get(0).path("key").asText();
        assertThat(f.get("/api/items?tag=" + tag).path("total").asLong()).isEqualTo(items.path("topTags").get(0).path("count").asLong());
        assertThat(f.status("/api/items?q=title:(unbalanced")).isEqualTo(400);
    }

    @Test
    @Order(2)
    void aRecordWhoseSchemaIsUnknownIsDeadLetteredAndListedWithItsReason() throws Exception {
        f.writePoison();
        JsonNode letters = await().atMost(Duration.ofMinutes(1)).until(() -> f.get("/api/dead-letters").path("letters"), l -> l.size() == 1);
        JsonNode letter = letters.get(0);
        assertThat(letter.path("stage").asText()).startsWith("enrich-streams");
        assertThat(letter.path("originalTopic").asText()).isEqualTo(f.names.raw());
        assertThat(letter.path("itemId").asText()).isEqualTo(ItemIds.of(POISON_TITLE));
        assertThat(letter.path("replayable").asBoolean()).isTrue();
        assertThat(letter.path("payload").path("undecodable").asText()).contains("schema id " + f.poisonSchemaId);
        await().atMost(Duration.ofSeconds(30)).until(() -> f.get("/api/pipeline").path("dlq").path("records").asLong() == 1);
    }

    @Test
    @Order(3)
    void aDeadLetterReplayedOnceItsCauseIsFixedIsIndexedOnceHoweverOftenItIsReplayed() throws Exception {
        String coordinates = f.get("/api/dead-letters").path("letters").get(0).path("coordinates").asText();
        String body = "{\"letters\": [\"" + coordinates + "\"]}";
        // State changes only from the console's own pages (or a JSON body without an Origin).
        assertThat(f.post("/api/dead-letters/replay", body, "application/json", "http://evil.example")).extracting(HttpResponse::statusCode).isEqualTo(403);
        assertThat(f.post("/api/dead-letters/replay", body, "text/plain", null)).extracting(HttpResponse::statusCode).isEqualTo(403);
        assertThat(f.post("/api/dead-letters/replay", "{\"letters\": [", "application/json", null).statusCode()).isEqualTo(400);
        assertThat(f.post("/api/dead-letters/replay", "{}", "application/json", null).statusCode()).isEqualTo(400);

        // The cause fixed: the producer's schema registered, with the id its record f.names.
        int registered = RestSchemaRegistryClient.forUrl(f.stack.registryUrl()).register(f.names.raw() + "-value", f.evolvedSchema);
        assertThat(registered).isEqualTo(f.poisonSchemaId);
        HttpResponse<String> replay = f.post("/api/dead-letters/replay", body, "application/json", f.console.url());
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        assertThat(JSON.readTree(replay.body()).path("replayed").size()).isEqualTo(1);

        await().atMost(Duration.ofMinutes(1)).until(() -> f.get("/api/items").path("total").asLong() == SAMPLE_ITEMS + 1);
        assertThat(f.get("/api/items?q=" + java.net.URLEncoder.encode("\"" + POISON_TITLE + "\"", StandardCharsets.UTF_8)).path("total").asLong()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> f.get("/api/dead-letters").path("letters").get(0).has("replayedAt"));

        // Again: dedup drops the second copy; still one document and one tagged record of the item.
        assertThat(f.post("/api/dead-letters/replay", body, "application/json", f.console.url()).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofMinutes(1)).until(() -> f.recordsOf(f.names.raw(), ItemIds.of(POISON_TITLE)) == 3);
        // Both services caught up with the second replay (no record left to read), then: one tagged record, one document.
        await().atMost(Duration.ofMinutes(1)).until(() -> f.get("/api/pipeline"), n -> n.path("lag").size() > 0 && sum(n.path("lag"), "lag") == 0);
        assertThat(f.recordsOf(f.names.tagged(), ItemIds.of(POISON_TITLE))).isEqualTo(1);
        assertThat(f.get("/api/items").path("total").asLong()).isEqualTo(SAMPLE_ITEMS + 1);
        assertThat(f.get("/api/pipeline").path("dlq").path("records").asLong()).isEqualTo(1);
    }
}
