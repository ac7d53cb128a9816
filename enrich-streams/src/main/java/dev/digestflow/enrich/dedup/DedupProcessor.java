package dev.digestflow.enrich.dedup;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import io.micrometer.core.instrument.Counter;

/**
 * Keeps the first record of every id and drops the later ones, over a persistent, changelogged
 * window store (the shape of Confluent's event-deduplication example). Each id is remembered with the
 * timestamp it was first seen; the store's segments expire by <em>stream time</em> after the
 * retention, so memory stays bounded and a replay within the retention is deduplicated.
 *
 * @param <V> the record value; the id comes from the injected extractor
 */
public final class DedupProcessor<V> implements Processor<String, V, String, V> {

    /** Longest retention accepted: beyond it a typo (ms vs days) is more likely than intent. */
    public static final Duration MAX_RETENTION = Duration.ofDays(3650);

    private final String storeName;
    private final Duration retention;
    private final Function<V, String> idExtractor;
    private final Counter duplicates;
    private ProcessorContext<String, V> context;
    private WindowStore<String, Long> seen;

    public DedupProcessor(String storeName, Duration retention, Function<V, String> idExtractor, Counter duplicates) {
        this.storeName = requireStoreName(storeName);
        this.retention = requireRetention(retention);
        this.idExtractor = Objects.requireNonNull(idExtractor, "idExtractor must not be null");
        this.duplicates = Objects.requireNonNull(duplicates, "duplicates counter must not be null");
    }

    /** The processor with its store attached, for {@code KStream#process}. */
    public static <V> ProcessorSupplier<String, V, String, V> supplier(String storeName, Duration retention,
            Function<V, String> idExtractor, Counter duplicates) {
        StoreBuilder<WindowStore<String, Long>> store = storeBuilder(storeName, retention);
        // Validate eagerly, at topology build time, not at the first record.
        new DedupProcessor<>(storeName, retention, idExtractor, duplicates);
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, V, String, V> get() {
                return new DedupProcessor<>(storeName, retention, idExtractor, duplicates);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(store);
            }
        };
    }

    /** A persistent window store, window = retention, changelogged (the default). */
    public static StoreBuilder<WindowStore<String, Long>> storeBuilder(String storeName, Duration retention) {
        Serde<Long> longs = Serdes.Long();
        return Stores.windowStoreBuilder(
                Stores.persistentWindowStore(requireStoreName(storeName), requireRetention(retention), requireRetention(retention), false),
                Serdes.String(), longs);
    }

    private static String requireStoreName(String storeName) {
        if (storeName == null || storeName.isBlank()) {
            throw new IllegalArgumentException("dedup store name must not be blank");
        }
        return storeName;
    }

    private static Duration requireRetention(Duration retention) {
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("dedup retention must be positive, not " + retention);
        }
        if (retention.compareTo(MAX_RETENTION) > 0) {
            throw new IllegalArgumentException("dedup retention " + retention + " is over the maximum of " + MAX_RETENTION.toDays() + " days");
        }
        return retention;
    }

    @Override
    public void init(ProcessorContext<String, V> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, V> record) {
        if (record.value() == null) {
            throw new IllegalArgumentException("record with key '" + record.key() + "' has no value (a tombstone is not a digest item)");
        }
        String id = idExtractor.apply(record.value());
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("record with key '" + record.key() + "' has no id to deduplicate on");
        }
        long ts = record.timestamp();
        long from = Math.max(0, ts - retention.toMillis());
        try (WindowStoreIterator<Long> earlier = seen.fetch(id, from, ts + retention.toMillis())) {
            if (earlier.hasNext()) {
                duplicates.increment();
                return;
            }
        }
        seen.put(id, ts, ts);
        context.forward(record);
    }
}
