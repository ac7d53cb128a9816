package dev.digestflow.app;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.digestflow.schema.registry.SchemaRegistryClient;
import dev.digestflow.schema.serde.WireFormat;

/**
 * A record's bytes as JSON a person can read, decoded through the schema registry with the writer's
 * own schema (whatever version it is, without a reader class): {@code {"schemaId": 3, "value": {...}}}.
 * Bytes that are not Avro in Confluent's wire format, or whose schema the registry does not know, come
 * back as {@code {"undecodable": why, "text"|"hex": preview}}, never as an exception: the console and
 * {@code dlq list} show bad records too, that is their point.
 */
public final class RecordJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PREVIEW_CHARS = 2000;
    private static final int PREVIEW_BYTES = 256;

    private final SchemaRegistryClient registry;
    private final Map<Integer, GenericDatumReader<Object>> readers = new ConcurrentHashMap<>();

    public RecordJson(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    public JsonNode decode(byte[] bytes) {
        ObjectNode out = JSON.createObjectNode();
        if (bytes == null) {
            return out.put("undecodable", "no value (null)");
        }
        if (bytes.length < WireFormat.HEADER_SIZE || bytes[0] != WireFormat.MAGIC_BYTE) {
            return preview(out.put("undecodable", "not Avro in the Confluent wire format (" + bytes.length + " bytes, first byte "
                    + (bytes.length == 0 ? "none" : String.format("0x%02x", bytes[0])) + ")"), bytes);
        }
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        out.put("schemaId", id);
        GenericDatumReader<Object> reader;
        try {
            reader = readers.computeIfAbsent(id, i -> new GenericDatumReader<>(registry.getById(i)));
        } catch (RuntimeException e) {
            return preview(out.put("undecodable", "schema id " + id + ": " + e.getMessage()), bytes);
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE, null);
            Object datum = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                return preview(out.put("undecodable", "schema id " + id + ": " + (bytes.length - WireFormat.HEADER_SIZE) + " bytes of Avro, with bytes left over"),
                        bytes);
            }
            String text = GenericData.get().toString(datum);
            try {
                out.set("value", JSON.readTree(text));
            } catch (java.io.IOException notJson) {
                out.put("value", text);
            }
            return out;
        } catch (java.io.IOException | RuntimeException e) {
            return preview(out.put("undecodable", "schema id " + id + ": the bytes do not decode with it (" + e + ")"), bytes);
        }
    }

    /** Whichever reads better: the text when the bytes are UTF-8, else the first bytes in hex. */
    private static JsonNode preview(ObjectNode out, byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            String text = chars.toString();
            if (text.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
                return out.put("text", text.length() > PREVIEW_CHARS ? text.substring(0, PREVIEW_CHARS) + "…" : text);
            }
        } catch (CharacterCodingException notText) {
            // hex below
        }
        String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, PREVIEW_BYTES));
        return out.put("hex", bytes.length > PREVIEW_BYTES ? hex + "…" : hex);
    }
}
