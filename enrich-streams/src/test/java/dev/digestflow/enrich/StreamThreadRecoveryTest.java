package dev.digestflow.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

import dev.digestflow.schema.retry.Backoff;
import dev.digestflow.schema.serde.SchemaRegistryUnavailableException;

class StreamThreadRecoveryTest {

    private final AtomicLong clock = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final List<Duration> pauses = new ArrayList<>();
    private final StreamThreadRecovery recovery = new StreamThreadRecovery(3, Duration.ofMinutes(10),
            new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), new Random(7)), clock::get, done::get, pauses::add);

    private static StreamsException registryDown() {
        return new StreamsException("Deserialization exception handler is set to fail",
                new SchemaRegistryUnavailableException("schema registry http://127.0.0.1:1 unreachable", null));
    }

    @Test
    void aRegistryOutageIsWaitedOutWithAGrowingBackoffAndNoCap() {
        for (int i = 0; i < 20; i++) {
            assertThat(recovery.handle(registryDown())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }
        assertThat(pauses).hasSize(20);
        assertThat(pauses.get(0)).isLessThanOrEqualTo(Duration.ofMillis(100));
        assertThat(pauses.get(19)).isGreaterThanOrEqualTo(Duration.ofMillis(2500)).isLessThanOrEqualTo(Duration.ofSeconds(5));
        assertThat(recovery.registryWait()).contains("schema registry unavailable since").contains("20 attempts");
    }

    @Test
    void theOutageIsOverOnceARecordGetsThrough() {
        recovery.handle(registryDown());
        assertThat(recovery.registryWait()).isNotNull();
        done.incrementAndGet();
        assertThat(recovery.registryWait()).isNull();
        // The next outage starts its backoff from the beginning.
        pauses.clear();
        recovery.handle(registryDown());
        assertThat(pauses.get(0)).isLessThanOrEqualTo(Duration.ofMillis(100));
    }

    @Test
    void otherErrorsAreReplacedAfterABackoffAtMostTheCapTimesInTheWindowThenShutDown() {
        RuntimeException bug = new StreamsException(new IllegalStateException("a bug"));
        for (int i = 0; i < 3; i++) {
            clock.addAndGet(Duration.ofSeconds(1).toNanos());
            assertThat(recovery.handle(bug)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }
        assertThat(pauses).hasSize(3).allSatisfy(p -> assertThat(p).isPositive());
        assertThat(recovery.handle(bug)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(recovery.registryWait()).isNull();
    }

    @Test
    void replacementsOutsideTheWindowNoLongerCount() {
        RuntimeException bug = new IllegalStateException("a bug");
        for (int i = 0; i < 10; i++) {
            clock.addAndGet(Duration.ofMinutes(4).toNanos());
            assertThat(recovery.handle(bug)).as("failure %d, 4 min apart", i).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }
    }

    @Test
    void aRegistryOutageDoesNotUseUpTheCap() {
        RuntimeException bug = new IllegalStateException("a bug");
        for (int i = 0; i < 3; i++) {
            recovery.handle(bug);
        }
        assertThat(recovery.handle(registryDown())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(recovery.handle(bug)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void onCloseItNeitherWaitsNorEndsTheStopInError() {
        recovery.stopWaiting();
        assertThat(recovery.handle(registryDown())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(recovery.handle(new IllegalStateException())).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(pauses).isEmpty();
    }
}
