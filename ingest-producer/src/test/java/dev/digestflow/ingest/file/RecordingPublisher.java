package dev.digestflow.ingest.file;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import dev.digestflow.ingest.publish.FilePublisher;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.FileEvent;

/** A publisher that keeps what it was given; it can fail transiently a set number of times, or reject items as Kafka would. */
public final class RecordingPublisher implements FilePublisher {

    public final List<DigestItem> items = new ArrayList<>();
    public final List<FileEvent> events = new ArrayList<>();
    public final AtomicInteger transientFailures = new AtomicInteger();
    public volatile Predicate<DigestItem> rejected = item -> false;

    @Override
    public synchronized void publishItems(List<DigestItem> batch) throws PublishException, ItemRejectedException {
        failIfAsked();
        for (int i = 0; i < batch.size(); i++) {
            if (rejected.test(batch.get(i))) {
                throw new ItemRejectedException(i, "the item is too large for Kafka (test)", null);
            }
        }
        items.addAll(batch);
    }

    @Override
    public synchronized void publishFileEvent(FileEvent event) throws PublishException {
        failIfAsked();
        events.add(event);
    }

    private void failIfAsked() throws PublishException {
        if (transientFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new PublishException("broker unreachable (test)", new org.apache.kafka.common.errors.TimeoutException("test"));
        }
    }

    public synchronized List<FileEvent> events() {
        return List.copyOf(events);
    }

    public synchronized List<DigestItem> items() {
        return List.copyOf(items);
    }

    @Override
    public void close() {
    }
}
