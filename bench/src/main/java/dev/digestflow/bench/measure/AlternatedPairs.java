package dev.digestflow.bench.measure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

import dev.digestflow.bench.profile.JfrProfile;

/**
 * How a stage is compared with its baseline fairly: one throw-away pass of both first (the broker's,
 * Elasticsearch's and this JVM's JIT warm for both), then pairs in alternating order (stage,
 * baseline, then baseline, stage, ...), so that neither side always runs first on a machine that is
 * still settling. Each pair gives a ratio; the comparison reports the median pair, with the min and
 * max ratio, instead of one run's luck. Optionally, one more round of the stage runs after the pairs
 * under JFR, not counted: the profile says where the stage's time goes without taxing a measured run.
 */
public final class AlternatedPairs {

    /** One run of one side; {@code round} 0 is the warm-up, then 1..pairs; each round uses its own topics, groups and index. */
    @FunctionalInterface
    public interface Side {
        StageResult run(int round) throws Exception;
    }

    /** One pair: the stage's run and the baseline's run of the same round, and which ran first. */
    public record Pair(int round, StageResult stage, StageResult baseline, boolean stageFirst) {
        /** The stage's items/s over the baseline's: 1.0 = as fast as the raw client. */
        public double ratio() {
            return stage.itemsPerSecond() / baseline.itemsPerSecond();
        }
    }

    /**
     * The warm-up pair (discarded from the figures), the measured pairs in the order they ran, and the
     * profile of the extra, uncounted stage round ({@code null} when none was asked for).
     */
    public record Result(Pair warmUp, List<Pair> pairs, JfrProfile.Summary profile) {

        public Result {
            if (pairs.isEmpty()) {
                throw new IllegalArgumentException("at least one measured pair");
            }
            pairs = List.copyOf(pairs);
        }

        /** The pair with the median ratio (the lower middle one for an even count). */
        public Pair median() {
            List<Pair> sorted = new ArrayList<>(pairs);
            sorted.sort(Comparator.comparingDouble(Pair::ratio));
            return sorted.get((sorted.size() - 1) / 2);
        }

        public double minRatio() {
            return pairs.stream().mapToDouble(Pair::ratio).min().orElseThrow();
        }

        public double maxRatio() {
            return pairs.stream().mapToDouble(Pair::ratio).max().orElseThrow();
        }
    }

    private AlternatedPairs() {
    }

    public static Result measure(int pairs, Side stage, Side baseline, Consumer<String> progress) throws Exception {
        return measure(pairs, stage, baseline, null, progress);
    }

    /**
     * As {@link #measure(int, Side, Side, Consumer)}, then, when {@code profileFile} is not null, round
     * {@code pairs + 1} of the stage under a JFR recording written to that file and summarized.
     */
    public static Result measure(int pairs, Side stage, Side baseline, Path profileFile, Consumer<String> progress) throws Exception {
        if (pairs < 1) {
            throw new IllegalArgumentException("pairs must be at least 1, not " + pairs);
        }
        Pair warmUp = new Pair(0, stage.run(0), baseline.run(0), true);
        progress.accept(String.format(java.util.Locale.ROOT, "  warm-up pair: ratio %.2f (not counted)", warmUp.ratio()));
        List<Pair> measured = new ArrayList<>();
        for (int round = 1; round <= pairs; round++) {
            boolean stageFirst = round % 2 == 1;
            StageResult s;
            StageResult b;
            if (stageFirst) {
                s = stage.run(round);
                b = baseline.run(round);
            } else {
                b = baseline.run(round);
                s = stage.run(round);
            }
            Pair p = new Pair(round, s, b, stageFirst);
            measured.add(p);
            progress.accept(String.format(java.util.Locale.ROOT, "  pair %d (%s first): %.0f vs %.0f items/s, ratio %.2f", round,
                    stageFirst ? "stage" : "baseline", s.itemsPerSecond(), b.itemsPerSecond(), p.ratio()));
        }
        JfrProfile.Summary profile = null;
        if (profileFile != null) {
            try (JfrProfile recording = JfrProfile.start()) {
                stage.run(pairs + 1);
                profile = recording.stopAndSummarize(profileFile, 12);
            }
            progress.accept("  profiled stage round (not counted): " + profileFile);
        }
        return new Result(warmUp, measured, profile);
    }
}
