package dev.digestflow.service.kafka;

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
        }
    }
}
