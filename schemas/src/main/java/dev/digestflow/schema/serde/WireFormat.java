package dev.digestflow.schema.serde;

/**
 * Confluent's wire format: byte 0 is the magic byte 0, bytes 1-4 the big-endian schema id, then the
 * Avro binary encoding of the record. Data written in it is readable by Confluent's
 * {@code KafkaAvroDeserializer}, and the other way round.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0x0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Subject name under Confluent's TopicNameStrategy. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
