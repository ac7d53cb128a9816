package dev.digestflow.app.console;

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
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer that follows every digestflow topic from its beginning (read_committed, no group),
 * so the console counts records as a subscriber sees them (transaction markers are not records) and
 * keeps the last records of each topic to show, without reading a topic again per page view. The file
 * events are kept whole (one per file); the dead letters up to {@link #DEAD_LETTERS_KEPT}.
 *
 * <p>Takes its consumer as a parameter, and the topics as a predicate on names, re-listed now and
 * then so that a tag topic created later is followed too.
 */
public final class TopicFollower implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);
    static final int LATEST_KEPT = 50;
    static final int DEAD_LETTERS_KEPT = 5000;
    private static final int FILE_EVENTS_KEPT = 100_000;
    private static final Duration RELIST_EVERY = Duration.ofSeconds(10);

    private final Consumer<byte[], byte[]> consumer;
    private final Predicate<String> follows;
    private final String filesTopic;
    private final String dlqTopic;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String problem;

    private final Map<String, Long> counts = new TreeMap<>();
    private final Map<String, Deque<ConsumerRecord<byte[], byte[]>>> latest = new HashMap<>();
    private final List<ConsumerRecord<byte[], byte[]>> fileEvents = new ArrayList<>();
    private final Deque<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayDeque<>();
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final Map<TopicPartition, Long> lastRecordOffsets = new HashMap<>();
    /** The dead letters already replayed ({@code <dlq>/<partition>@<offset>} → when), seen on the topics they went back to. */
    private final Map<String, Long> replayed = new HashMap<>();

    public TopicFollower(Consumer<byte[], byte[]> consumer, Predicate<String> follows, String filesTopic, String dlqTopic) {
        this.consumer = consumer;
        this.follows = follows;
        this.filesTopic = filesTopic;
        this.dlqTopic = dlqTopic;
        this.thread = new Thread(this::run, "digestflow-console-follower");
        thread.setDaemon(true);
    }

    public TopicFollower start() {
        thread.start();
        return this;
    }

    private void run() {
        long nextList = 0;
        Set<TopicPartition> assigned = new HashSet<>();
        while (running) {
            try {
                if (System.nanoTime() >= nextList) {
                    Set<TopicPartition> wanted = new HashSet<>();
                    for (Map.Entry<String, List<PartitionInfo>> t : consumer.listTopics(Duration.ofSeconds(5)).entrySet()) {
                        if (follows.test(t.getKey())) {
                            t.getValue().forEach(p -> wanted.add(new TopicPartition(p.topic(), p.partition())));
                        }
                    }
                    if (!wanted.equals(assigned)) {
                        Set<TopicPartition> added = new HashSet<>(wanted);
                        added.removeAll(assigned);
                        consumer.assign(wanted);
                        consumer.seekToBeginning(added);
                        assigned = wanted;
                        synchronized (this) {
                            added.forEach(tp -> counts.putIfAbsent(tp.topic(), 0L));
                        }
                    }
                    nextList = System.nanoTime() + RELIST_EVERY.toNanos();
                }
                var records = consumer.poll(Duration.ofMillis(500));
                synchronized (this) {
                    for (ConsumerRecord<byte[], byte[]> r : records) {
                        accept(r);
                    }
                    for (TopicPartition tp : assigned) {
                        positions.put(tp, consumer.position(tp, Duration.ofSeconds(5)));
                    }
                }
                problem = null;
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // Kafka unreachable, a topic deleted: the console shows what it has and says so.
                problem = "reading the topics: " + e;
                LOG.warn("console: {}", problem);
                nextList = 0;
                sleepQuietly();
            }
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(1000); // a backoff in a background loop, not a test wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void accept(ConsumerRecord<byte[], byte[]> r) {
        counts.merge(r.topic(), 1L, Long::sum);
        lastRecordOffsets.put(new TopicPartition(r.topic(), r.partition()), r.offset());
        Deque<ConsumerRecord<byte[], byte[]>> last = latest.computeIfAbsent(r.topic(), t -> new ArrayDeque<>());
        last.addLast(r);
        if (last.size() > LATEST_KEPT) {
            last.removeFirst();
        }
        org.apache.kafka.common.header.Header from = r.headers().lastHeader(dev.digestflow.app.dlq.DeadLetter.REPLAYED_FROM_HEADER);
        if (from != null) {
            replayed.putIfAbsent(new String(from.value(), java.nio.charset.StandardCharsets.UTF_8), r.timestamp());
        }
        if (r.topic().equals(filesTopic) && fileEvents.size() < FILE_EVENTS_KEPT) {
            fileEvents.add(r);
        } else if (r.topic().equals(dlqTopic)) {
            deadLetters.addLast(r);
            if (deadLetters.size() > DEAD_LETTERS_KEPT) {
                deadLetters.removeFirst();
            }
        }
    }

    /** Records seen per followed topic (a topic with none is listed with 0). */
    public synchronized Map<String, Long> counts() {
        return new TreeMap<>(counts);
    }

    /** The last records of a topic, newest first. */
    public synchronized List<ConsumerRecord<byte[], byte[]>> latest(String topic, int limit) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>(latest.getOrDefault(topic, new ArrayDeque<>()));
        java.util.Collections.reverse(out);
        return out.subList(0, Math.min(limit, out.size()));
    }

    public synchronized List<ConsumerRecord<byte[], byte[]>> fileEvents() {
        return List.copyOf(fileEvents);
    }

    public synchronized List<ConsumerRecord<byte[], byte[]>> deadLetters() {
        return List.copyOf(deadLetters);
    }

    /** When each replayed dead letter ({@code <dlq>/<partition>@<offset>}) was seen back on its topic. */
    public synchronized Map<String, Long> replayed() {
        return Map.copyOf(replayed);
    }

    /** How far this view has read each partition (for "is the console behind?"). */
    public synchronized Map<TopicPartition, Long> positions() {
        return Map.copyOf(positions);
    }

    /** The offset of the last record read per partition (after it, on a transactional topic, only commit markers may follow). */
    public synchronized Map<TopicPartition, Long> lastRecordOffsets() {
        return Map.copyOf(lastRecordOffsets);
    }

    /** Why the topics cannot be read now, or null. */
    public String problem() {
        return problem;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
    }
}
