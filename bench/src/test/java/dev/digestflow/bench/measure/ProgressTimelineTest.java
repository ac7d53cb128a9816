package dev.digestflow.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressTimelineTest {

    @Test
    void ratesPerSliceFollowTheLastPollInEachSlice() {
        ProgressTimeline t = new ProgressTimeline();
        t.add(0.5, 0);
        t.add(1.0, 100);  // end of slice 1 (of 5 s in 5 slices)
        t.add(1.5, 150);
        t.add(2.5, 400);  // slice 3
        t.add(4.9, 900);
        t.add(5.0, 1000); // the last poll, which ended the wait
        assertThat(t.ratesBySlice(5.0, 5)).containsExactly(100L, 50L, 250L, 0L, 600L);
    }

    @Test
    void aPollAfterTheMeasuredEndCountsInTheLastSlice() {
        ProgressTimeline t = new ProgressTimeline();
        t.add(0.2, 10);
        t.add(2.1, 30); // read after the clock stopped at 2.0 s
        assertThat(t.ratesBySlice(2.0, 2)).containsExactly(10L, 20L);
        assertThat(new ProgressTimeline().ratesBySlice(1.0, 2)).containsExactly(0L, 0L);
    }
}
