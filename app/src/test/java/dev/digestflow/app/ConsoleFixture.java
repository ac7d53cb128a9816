package dev.digestflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

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
import dev.digestflow.teststack.TestProducers;
import dev.digestflow.teststack.TestStack;

/**
 * What the console's ITs start from: a pipeline on the shared real stack with the console on a free
 * port, after the three samples and a bad file went through it; and the poison record whose cause can
 * be fixed: an item written with a schema id the registry does not know yet.
 */
final class ConsoleFixture implements AutoCloseable {

    static final List<String> SAMPLES = List.of("000_545bdede27ca3e01.txt", "003_19fcee2af990f575.txt", "004_daa9faf00548796a.txt");
    static final int SAMPLE_ITEMS = 89;
    static final String POISON_TITLE = "A record written before its schema was registered";
    private static final ObjectMapper JSON = new ObjectMapper();

    final TestStack stack;
    final PipelineNames names;
    final Path home;
    final Pipeline pipeline;
    final ConsoleServer console;
    private final HttpClient http = HttpClient.newHttpClient();
    int poisonSchemaId;
    Schema evolvedSchema;

    private ConsoleFixture(TestStack stack, PipelineNames names, Path home, Pipeline pipeline, ConsoleServer console) {
        this.stack = stack;
        this.names = names;
        this.home = home;
        this.pipeline = pipeline;
        this.console = console;
    }

    static ConsoleFixture samplesAndABadFile(TestStack stack, PipelineNames names) throws Exception {
        Path home = Files.createTempDirectory("console-it");
        Path drops = Files.createDirectories(home.resolve("drops"));
        for (String s : SAMPLES) {
            try (InputStream in = ConsoleFixture.class.getResourceAsStream("/samples/" + s)) {
                Files.write(drops.resolve(s), in.readAllBytes());
            }
        }
        Files.write(drops.resolve("broken.json"), "{\"items\": [ {\"title\": \"truncated".getBytes(StandardCharsets.UTF_8));
        Pipeline pipeline = Pipeline.start(stack.bootstrapServers(), stack.registryUrl(), stack.elasticsearchUrl(), names, home, Pipeline.Ports.any());
        await().atMost(Duration.ofMinutes(2)).until(pipeline::ready);
        ConsoleServer console = ConsoleServer.start(ConsoleSettings.of("127.0.0.1", 0, Map.of()), pipeline.endpoints(), names, home);
        ConsoleFixture f = new ConsoleFixture(stack, names, home, pipeline, console);
        for (String s : SAMPLES) {
            IngestCommand.drop(drops.resolve(s), home.resolve("inbox"));
        }
        IngestCommand.drop(drops.resolve("broken.json"), home.resolve("inbox"));
        await().atMost(Duration.ofMinutes(2)).until(() -> stage(f.get("/api/pipeline"), "index").path("count").asLong() == SAMPLE_ITEMS);
        return f;
    }

    /**
     * A producer wrote before registering its schema (version 2 of DigestItem, one optional field
     * more): enrich-streams cannot decode the record (the registry answers 404 for its id) and
     * dead-letters it. Registering {@link #evolvedSchema} later fixes the cause: it gets that id.
     */
    void writePoison() throws Exception {
        RestSchemaRegistryClient registry = RestSchemaRegistryClient.forUrl(stack.registryUrl());
        poisonSchemaId = nextSchemaId(registry);
        evolvedSchema = withNoteField(DigestItem.getClassSchema());
        TestProducers.sendBytes(stack, names.raw(), ItemIds.of(POISON_TITLE).getBytes(StandardCharsets.UTF_8), poisonValue());
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
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
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

    KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    long recordsOf(String topic, String key) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            return TopicSnapshot.readAll(consumer, topic, Duration.ofSeconds(30)).stream()
                    .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(key)).count();
        }
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(console.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    int status(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(console.url() + path)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    HttpResponse<String> post(String path, String body, String contentType, String origin) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(console.url() + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode stage(JsonNode pipeline, String id) {
        return find(pipeline.path("stages"), "id", id);
    }

    static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (n.path(field).asText().equals(value)) {
                return n;
            }
        }
        throw new AssertionError("no element with " + field + "=" + value + " in " + array);
    }

    static long sum(JsonNode array, String field) {
        long s = 0;
        for (JsonNode n : array) {
            s += n.path(field).asLong();
        }
        return s;
    }

    @Override
    public void close() throws Exception {
        console.close();
        pipeline.close();
    }
}
