package dev.digestflow.sink.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.transport.ElasticsearchTransport;
import co.elastic.clients.transport.Endpoint;
import co.elastic.clients.transport.TransportOptions;

/** Completions must run on the hand-off executor, never on the thread that completed the HTTP call. */
class CallbackHandoffTransportTest {

    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> new Thread(r, "handoff"));
    private final CompletableFuture<Object> http = new CompletableFuture<>();
    private final ElasticsearchTransport delegate = answering(http);

    /** A transport whose every async call returns {@code future}, completed by the test as the HTTP reactor would. */
    private static ElasticsearchTransport answering(CompletableFuture<Object> future) {
        return new ElasticsearchTransport() {
            @Override
            public <Q, R, E> R performRequest(Q request, Endpoint<Q, R, E> endpoint, TransportOptions options) throws IOException {
                throw new UnsupportedOperationException();
            }

            @SuppressWarnings("unchecked")
            @Override
            public <Q, R, E> CompletableFuture<R> performRequestAsync(Q request, Endpoint<Q, R, E> endpoint, TransportOptions options) {
                return (CompletableFuture<R>) future;
            }

            @Override
            public JsonpMapper jsonpMapper() {
                return null;
            }

            @Override
            public TransportOptions options() {
                return null;
            }

            @Override
            public void close() {
            }
        };
    }

    @AfterEach
    void stop() {
        callbacks.shutdownNow();
    }

    @Test
    void completionsRunOnTheHandOffThread() throws Exception {
        CallbackHandoffTransport transport = new CallbackHandoffTransport(delegate, callbacks);
        AtomicReference<String> completedOn = new AtomicReference<>();
        CompletableFuture<Object> result = transport.performRequestAsync("req", null, null);
        CompletableFuture<Void> observed = result.whenComplete((r, e) -> completedOn.set(Thread.currentThread().getName())).thenAccept(r -> { });
        http.complete("response"); // on this thread, as the HTTP reactor would, possibly holding its pool lock
        observed.get(5, TimeUnit.SECONDS);
        assertThat(result.get()).isEqualTo("response");
        assertThat(completedOn.get()).isEqualTo("handoff").isNotEqualTo(Thread.currentThread().getName());
    }

    @Test
    void failuresArePassedOnUnchanged() throws Exception {
        CompletableFuture<Object> failing = new CompletableFuture<>();
        ElasticsearchTransport broken = answering(failing);
        CompletableFuture<Object> result = new CallbackHandoffTransport(broken, callbacks).performRequestAsync("req", null, null);
        IOException refused = new IOException("Connection refused");
        failing.completeExceptionally(refused);
        assertThat(result).failsWithin(5, TimeUnit.SECONDS).withThrowableThat().havingCause().isSameAs(refused);
    }
}
