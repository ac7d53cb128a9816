package dev.digestflow.bench.stage;

import dev.digestflow.bench.measure.AlternatedPairs;
import dev.digestflow.bench.measure.StageResult;

/**
 * A stage and its raw baseline, on the same input in the same run, measured in alternated pairs
 * after a warm-up ({@link AlternatedPairs}): {@link #measured} and {@link #baseline} are the median
 * pair's runs (their CPU and memory figures go with them), {@link #ratio} its ratio.
 */
public record StageComparison(String stage, String baselineDescription, AlternatedPairs.Result pairs) {

    public StageResult measured() {
        return pairs.median().stage();
    }

    public StageResult baseline() {
        return pairs.median().baseline();
    }

    /** The median pair's stage items/s over its baseline's: 1.0 = as fast as the raw client. */
    public double ratio() {
        return pairs.median().ratio();
    }
}
