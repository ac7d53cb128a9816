package dev.digestflow.ingest.publish;

import java.util.List;

import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.FileEvent;

/**
 * Where a file's records go. The file pipeline takes it as a parameter, so that its decisions
 * (done, failed, retried) are unit-tested without a broker; {@link ItemPublisher} is the Kafka one.
 */
public interface FilePublisher extends AutoCloseable {

    /**
     * Returns once every item is acknowledged.
     *
     * @throws PublishException transient: Kafka or the registry did not take them now; the file is retried
     * @throws ItemRejectedException deterministic: this item can never be written (e.g. larger than
     *         Kafka accepts); the file is rejected with the reason
     */
    void publishItems(List<DigestItem> items) throws PublishException, ItemRejectedException;

    /** Returns once the file's lifecycle event is acknowledged. */
    void publishFileEvent(FileEvent event) throws PublishException;

    @Override
    void close();

    /** Kafka (or the registry) did not take the records now; the file must be retried, never marked done. */
    final class PublishException extends Exception {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One item Kafka will never take as it is; retrying cannot help. */
    final class ItemRejectedException extends Exception {
        private final int index;

        public ItemRejectedException(int index, String message, Throwable cause) {
            super(message, cause);
            this.index = index;
        }

        /** The item's position in the list given to {@link #publishItems}. */
        public int index() {
            return index;
        }
    }
}
