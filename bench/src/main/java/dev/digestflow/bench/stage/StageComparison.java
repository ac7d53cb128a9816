package dev.digestflow.bench.stage;

import dev.digestflow.bench.measure.StageResult;

/** A stage and its raw baseline, on the same input in the same run. */
public record StageComparison(String stage, String baselineDescription, StageResult measured, StageResult baseline) {

    /** The stage's items/s over the baseline's: 1.0 = as fast as the raw client. */
    public double ratio() {
        return measured.itemsPerSecond() / baseline.itemsPerSecond();
    }
}
