package dev.digestflow.sink.write;

import java.util.concurrent.CompletableFuture;

/** Where rejected records go: the DLQ topic in the service ({@link DeadLetterWriter}), a list in unit tests. */
public interface DeadLetterSink extends AutoCloseable {

    /** Completes once the dead letter is acknowledged; fails when it could not be written. */
    CompletableFuture<Void> send(PendingRecord record, String stage, String exceptionClass, String message, DeadLetterWriter.EsError es);

    String topic();

    @Override
    void close();
}
