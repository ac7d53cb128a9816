package dev.digestflow.sink.write;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.transport.ElasticsearchTransport;
import co.elastic.clients.transport.Endpoint;
import co.elastic.clients.transport.TransportOptions;

/**
 * Completes every asynchronous ES call on our own executor instead of the HTTP client's I/O reactor
 * thread.
 *
 * <p>Why: when Elasticsearch is down, Apache HttpAsyncClient fails a connection request on its
 * reactor thread while holding its connection-pool lock, and that failure completes the bulk future
 * right there. {@code BulkIngester}'s completion handler then takes the ingester's lock. Meanwhile
 * an ingester thread that holds that lock sends the next bulk, which needs the pool lock: a lock-order
 * deadlock. It froze the sink in CI during the 30 s ES outage (jstack: "elasticsearch-rest-client-1-thread-1"
 * in {@code FnCondition.signalIfReadyAfter} holding the pool lock, "bulk-ingester-executor" in
 * {@code AbstractNIOConnPool.lease} holding the ingester's). Handing the completion to another thread
 * lets the reactor release the pool lock first.
 */
public final class CallbackHandoffTransport implements ElasticsearchTransport {

    private final ElasticsearchTransport delegate;
    private final Executor callbacks;

    public CallbackHandoffTransport(ElasticsearchTransport delegate, Executor callbacks) {
        this.delegate = delegate;
        this.callbacks = callbacks;
    }

    @Override
    public <RequestT, ResponseT, ErrorT> ResponseT performRequest(RequestT request, Endpoint<RequestT, ResponseT, ErrorT> endpoint,
            TransportOptions options) throws IOException {
        return delegate.performRequest(request, endpoint, options);
    }

    @Override
    public <RequestT, ResponseT, ErrorT> CompletableFuture<ResponseT> performRequestAsync(RequestT request,
            Endpoint<RequestT, ResponseT, ErrorT> endpoint, TransportOptions options) {
        CompletableFuture<ResponseT> handedOff = new CompletableFuture<>();
        delegate.performRequestAsync(request, endpoint, options).whenComplete((response, failure) -> callbacks.execute(() -> {
            if (failure != null) {
                handedOff.completeExceptionally(failure);
            } else {
                handedOff.complete(response);
            }
        }));
        return handedOff;
    }

    @Override
    public JsonpMapper jsonpMapper() {
        return delegate.jsonpMapper();
    }

    @Override
    public TransportOptions options() {
        return delegate.options();
    }

    @Override
    public void close() throws IOException {
        // The delegate belongs to whoever created it.
    }
}
