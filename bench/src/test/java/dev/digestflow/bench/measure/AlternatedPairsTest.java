package dev.digestflow.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlternatedPairsTest {

    @Test
    void warmsUpOnceThenAlternatesWhichSideRunsFirst() throws Exception {
        List<String> order = new ArrayList<>();
        AlternatedPairs.Result r = AlternatedPairs.measure(3, round -> {
            order.add("S" + round);
            return new StageResult("stage", 100, 1.0, List.of());
        }, round -> {
            order.add("B" + round);
            return new StageResult("baseline", 100, 0.5, List.of());
        }, line -> { });
        assertThat(order).containsExactly("S0", "B0", "S1", "B1", "B2", "S2", "S3", "B3");
        assertThat(r.pairs()).extracting(AlternatedPairs.Pair::stageFirst).containsExactly(true, false, true);
        assertThat(r.warmUp().round()).isZero();
    }

    @Test
    void reportsTheMedianPairWithTheSpread() throws Exception {
        double[] stageSeconds = {9, 4, 2, 1}; // warm-up slow, then ratios 0.25, 0.5, 1.0 (baseline 1 s each)
        AlternatedPairs.Result r = AlternatedPairs.measure(3, round -> new StageResult("stage", 100, stageSeconds[round], List.of()),
                round -> new StageResult("baseline", 100, 1.0, List.of()), line -> { });
        assertThat(r.median().ratio()).isEqualTo(0.5);
        assertThat(r.median().round()).isEqualTo(2);
        assertThat(r.minRatio()).isEqualTo(0.25);
        assertThat(r.maxRatio()).isEqualTo(1.0);
        assertThat(r.pairs()).noneMatch(p -> p.ratio() < 0.2); // the warm-up's 0.11 is not counted
    }

    @Test
    void profilesOneMoreStageRoundAfterThePairsWithoutCountingIt(@TempDir Path dir) throws Exception {
        List<String> order = new ArrayList<>();
        Path jfr = dir.resolve("stage.jfr");
        AlternatedPairs.Result r = AlternatedPairs.measure(2, round -> {
            order.add("S" + round);
            return new StageResult("stage", 100, 1.0, List.of());
        }, round -> {
            order.add("B" + round);
            return new StageResult("baseline", 100, 1.0, List.of());
        }, jfr, line -> { });
        assertThat(order).containsExactly("S0", "B0", "S1", "B1", "B2", "S2", "S3");
        assertThat(r.pairs()).hasSize(2);
        assertThat(r.profile()).isNotNull();
        assertThat(jfr).exists();
        assertThat(AlternatedPairs.measure(1, round -> new StageResult("stage", 1, 1.0, List.of()),
                round -> new StageResult("baseline", 1, 1.0, List.of()), line -> { }).profile()).isNull();
    }

    @Test
    void needsAPair() {
        assertThatThrownBy(() -> AlternatedPairs.measure(0, round -> null, round -> null, line -> { })).hasMessageContaining("at least 1");
    }
}
