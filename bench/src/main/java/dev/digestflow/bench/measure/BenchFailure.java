package dev.digestflow.bench.measure;

/** The bench cannot vouch for its figures: a count did not match, or a stage never finished. */
public final class BenchFailure extends RuntimeException {

    public BenchFailure(String message) {
        super(message);
    }
}
