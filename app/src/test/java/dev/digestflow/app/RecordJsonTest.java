package dev.digestflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.digestflow.schema.FileEvent;
import dev.digestflow.schema.FileStatus;
import dev.digestflow.schema.registry.InMemorySchemaRegistryClient;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import dev.digestflow.schema.serde.ConfluentAvroSerializer;

class RecordJsonTest {

    private static final String SCOPE = "record-json-test";

    @Test
    void aRecordIsDecodedWithItsWritersSchemaAndBadBytesAreShownNotThrown() {
        ConfluentAvroSerializer<FileEvent> serializer = new ConfluentAvroSerializer<>();
        serializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE), false);
        FileEvent event = FileEvent.newBuilder().setPath("/x/failed/a.json").setFileName("a.json").setSha256("ab").setSizeBytes(3).setItemCount(0)
                .setStatus(FileStatus.FAILED).setError("truncated \"JSON\"").setDetectedAt(Instant.ofEpochMilli(1)).setStartedAt(Instant.ofEpochMilli(2))
                .setFinishedAt(Instant.ofEpochMilli(3)).build();
        byte[] bytes = serializer.serialize("digest.files", event);
        RecordJson json = new RecordJson(InMemorySchemaRegistryClient.forScope(SCOPE));

        JsonNode decoded = json.decode(bytes);
        assertThat(decoded.path("schemaId").asInt()).isPositive();
        assertThat(decoded.path("value").path("fileName").asText()).isEqualTo("a.json");
        assertThat(decoded.path("value").path("error").asText()).isEqualTo("truncated \"JSON\"");
        assertThat(decoded.path("value").path("status").asText()).isEqualTo("FAILED");

        assertThat(json.decode(null).path("undecodable").asText()).contains("null");
        JsonNode text = json.decode("{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(text.path("undecodable").asText()).contains("not Avro");
        assertThat(text.path("text").asText()).isEqualTo("{\"not\": \"avro\"}");
        JsonNode binary = json.decode(new byte[] {(byte) 0xc3, 0x28, 1, 2, 3, 4});
        assertThat(binary.path("hex").asText()).startsWith("c328");
        JsonNode unknownId = json.decode(new byte[] {0, 0, 0, 3, (byte) 0xe7, 2});
        assertThat(unknownId.path("undecodable").asText()).startsWith("schema id 999");
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 4);
        assertThat(json.decode(truncated).path("undecodable").asText()).contains("do not decode");
        byte[] trailing = java.util.Arrays.copyOf(bytes, bytes.length + 2);
        assertThat(json.decode(trailing).path("undecodable").asText()).contains("left over");
    }
}
