package dev.digestflow.service.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics a service writes to when they are missing, so the services do not rely on
 * broker auto-creation (often off in production) and get the configured partitions. A topic that
 * another instance creates at the same moment is not an error.
 */
public final class Topics {

    private Topics() {
    }

    /**
     * @param clientSettings security and other {@code kafka.*} pass-through settings
     * @param replication    -1 for the broker's default
     */
    public static void ensure(String bootstrapServers, Map<String, Object> clientSettings, Collection<String> names, int partitions, short replication)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Object> props = new HashMap<>(clientSettings);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream().distinct().filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, Optional.of(partitions), replication < 0 ? Optional.empty() : Optional.of(replication)))
                    .toList();
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            awaitLeaders(admin, names.stream().distinct().toList(), Duration.ofSeconds(30));
        }
    }

    /**
     * Until every partition of the topics has a leader that serves it. A topic is created when the
     * controller commits it, a moment before the broker serves it; an idempotent producer sending at
     * once gets NOT_LEADER_OR_FOLLOWER for one request while the next is appended, and the first one's
     * retries then fail with OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout (KAFKA-15591; the
     * bench's raw producer on a fresh topic hit it). A leader in the metadata was not enough: CI hit it
     * again after the metadata named one. So the wait ends only when the leaders also answer a
     * ListOffsets, which, like a produce, the broker serves only for partitions it has taken on as leader.
     */
    static void awaitLeaders(Admin admin, List<String> names, Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
                if (described.values().stream().allMatch(Topics::everyPartitionLed)) {
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    described.values().forEach(t -> t.partitions().forEach(p -> latest.put(new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
                    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException)) { // not yet known, not yet led, not yet served
                    throw e;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topics " + names + " have partitions without a leader after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    private static boolean everyPartitionLed(TopicDescription topic) {
        return !topic.partitions().isEmpty() && topic.partitions().stream().allMatch(p -> p.leader() != null && p.leader().id() >= 0);
    }
}
