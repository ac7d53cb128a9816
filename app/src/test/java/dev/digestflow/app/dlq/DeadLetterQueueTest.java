package dev.digestflow.app.dlq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.digestflow.schema.dlq.DeadLetterHeaders;

/** The replay's decisions, on a mock producer (the end-to-end replay runs in ConsoleIT on the real stack). */
class DeadLetterQueueTest {

    private final DeadLetterQueue dlq = new DeadLetterQueue("digest.items.dlq");

    private static DeadLetter letter(long offset, String stage, String topic, String itemId, byte[] key, byte[] value) {
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>("digest.items.dlq", 0, offset, key, value);
        DeadLetterHeaders.of(stage, topic, 2, 40 + offset, "x.Boom", "boom").itemId(itemId).build().forEach(h -> r.headers().add(h));
        return DeadLetter.of(r);
    }

    @Test
    void replayWritesTheOriginalBytesBackToTheOriginalTopicWithWhereTheyCameFrom() throws Exception {
        byte[] binaryKey = {(byte) 0xff, 0, 1};
        DeadLetter a = letter(3, "enrich-streams.deserialize", "digest.items.raw", "id-a", binaryKey, new byte[] {0, 0, 0, 0, 7, 1});
        DeadLetter b = letter(4, "index-sink.elasticsearch", "digest.items.tagged", "id-b", "id-b".getBytes(StandardCharsets.UTF_8), new byte[] {9});
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

        DeadLetterQueue.Replay replay = dlq.replay(producer, List.of(a, b), false);

        assertThat(replay.replayed()).containsExactly(a, b);
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).topic()).isEqualTo("digest.items.raw");
        assertThat(sent.get(0).key()).as("a key that is not UTF-8 goes back byte for byte").isEqualTo(binaryKey);
        assertThat(sent.get(0).value()).isEqualTo(new byte[] {0, 0, 0, 0, 7, 1});
        assertThat(new String(sent.get(0).headers().lastHeader(DeadLetter.REPLAYED_FROM_HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo("digest.items.dlq/0@3");
        assertThat(sent.get(0).headers().lastHeader(DeadLetterHeaders.STAGE)).as("the DLQ's own headers stay on the DLQ").isNull();
        assertThat(sent.get(1).topic()).isEqualTo("digest.items.tagged");
        assertThat(replay.render()).contains("replayed 2 dead letters", "0@3", "digest.items.raw");
    }

    @Test
    void aDeadLetterWithoutPayloadOrOriginIsNotReplayedAndSaysWhy() throws Exception {
        ConsumerRecord<byte[], byte[]> omitted = new ConsumerRecord<>("digest.items.dlq", 0, 5, "k".getBytes(StandardCharsets.UTF_8), null);
        DeadLetterHeaders.of("enrich-streams.production", "digest.items.raw", 0, 1, "x", "too large").build().forEach(h -> omitted.headers().add(h));
        omitted.headers().add(DeadLetterHeaders.PAYLOAD_OMITTED, "read it at digest.items.raw 0@1".getBytes(StandardCharsets.UTF_8));
        DeadLetter noOrigin = DeadLetter.of(new ConsumerRecord<>("digest.items.dlq", 0, 6, null, new byte[] {1}));
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

        DeadLetterQueue.Replay replay = dlq.replay(producer, List.of(DeadLetter.of(omitted), noOrigin), false);

        assertThat(replay.replayed()).isEmpty();
        assertThat(producer.history()).isEmpty();
        assertThat(replay.refused()).containsEntry("0@5", "its payload was left out: read it at digest.items.raw 0@1").containsEntry("0@6",
                "it names no original topic");
    }

    @Test
    void aDryRunWritesNothingAndAFailedSendIsAnErrorNotASilentLoss() throws Exception {
        DeadLetter a = letter(3, "enrich-streams.deserialize", "digest.items.raw", "id-a", null, new byte[] {1});
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        assertThat(dlq.replay(producer, List.of(a), true).replayed()).containsExactly(a);
        assertThat(producer.history()).isEmpty();

        MockProducer<byte[], byte[]> failing = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized void flush() {
                errorNext(new org.apache.kafka.common.errors.TopicAuthorizationException("not allowed"));
            }
        };
        assertThatThrownBy(() -> dlq.replay(failing, List.of(a), false)).hasMessageContaining("0@3").hasMessageContaining("not allowed");
    }

    @Test
    void selectionByStagePrefixItemIdOrCoordinates() {
        DeadLetter a = letter(3, "enrich-streams.deserialize", "digest.items.raw", "id-a", null, new byte[] {1});
        DeadLetter b = letter(4, "index-sink.elasticsearch", "digest.items.tagged", "id-b", null, new byte[] {1});
        assertThat(DeadLetterQueue.select(List.of(a, b), "index-sink", null)).containsExactly(b);
        assertThat(DeadLetterQueue.select(List.of(a, b), null, "id-a")).containsExactly(a);
        assertThat(DeadLetterQueue.select(List.of(a, b), null, "0@4")).containsExactly(b);
        assertThat(DeadLetterQueue.select(List.of(a, b), "enrich", "id-b")).isEmpty();
        assertThat(a.reason()).isEqualTo("Boom: boom");
    }
}
