package dev.digestflow.bench.measure;

import java.util.List;
import java.util.Map;

/**
 * One timed run: how many items, how long, what each process spent, and run-specific figures
 * ({@code details}, e.g. bulk requests and operations per request for the ES runs).
 */
public record StageResult(String name, long items, double seconds, List<ProcessUsage> usage, Map<String, Object> details) {

    public StageResult(String name, long items, double seconds, List<ProcessUsage> usage) {
        this(name, items, seconds, usage, Map.of());
    }

    public double itemsPerSecond() {
        return items / seconds;
    }
}
