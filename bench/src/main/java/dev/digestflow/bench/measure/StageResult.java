package dev.digestflow.bench.measure;

import java.util.List;

/** One timed run: how many items, how long, and what each process spent. */
public record StageResult(String name, long items, double seconds, List<ProcessUsage> usage) {

    public double itemsPerSecond() {
        return items / seconds;
    }
}
