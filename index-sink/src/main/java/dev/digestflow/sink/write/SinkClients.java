package dev.digestflow.sink.write;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import dev.digestflow.schema.TaggedItem;
import dev.digestflow.schema.serde.ConfluentAvroDeserializer;
import dev.digestflow.sink.config.SinkConfig;

/** The Kafka clients of the sink's worker, built from its config; the worker itself takes them as parameters. */
public final class SinkClients {

    private SinkClients() {
    }

    /** {@code read_committed}, manual commits, from the earliest offset for a new group; values as bytes, deserialized by the worker. */
    public static Consumer<byte[], byte[]> consumer(SinkConfig config) {
        Map<String, Object> props = new HashMap<>(config.clientSettings(SinkConfig.Client.CONSUMER));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getString(SinkConfig.BOOTSTRAP_SERVERS));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.getString(SinkConfig.GROUP_ID));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "index-sink");
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(2000, config.getInt(SinkConfig.BUFFER_MAX_RECORDS)));
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The tagged items' values, through the registry. */
    public static Deserializer<TaggedItem> values(SinkConfig config) {
        ConfluentAvroDeserializer<TaggedItem> values = new ConfluentAvroDeserializer<>(TaggedItem.class);
        values.configure(config.serdeConfig(), false);
        return values;
    }

    public static DeadLetterSink deadLetters(SinkConfig config) {
        return new DeadLetterWriter(config.getString(SinkConfig.BOOTSTRAP_SERVERS), config.clientSettings(SinkConfig.Client.PRODUCER), config.getString(SinkConfig.DLQ_TOPIC));
    }
}
