package dev.digestflow.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.digestflow.app.FileProgress.Verdict;

class FileProgressTest {

    private static final Duration GIVE_UP = Duration.ofMinutes(2);

    @Test
    void completeOnlyWhenEveryItemWasSeenAndEverySeenIdIsSearchable() {
        assertThat(FileProgress.verdict(10, 10, 9, 9, Duration.ofSeconds(1), GIVE_UP)).as("two items share an id").isEqualTo(Verdict.COMPLETE);
        assertThat(FileProgress.verdict(10, 10, 10, 8, Duration.ofSeconds(1), GIVE_UP)).isEqualTo(Verdict.WAIT);
        assertThat(FileProgress.verdict(10, 4, 4, 4, Duration.ofSeconds(1), GIVE_UP)).isEqualTo(Verdict.WAIT);
    }

    @Test
    void givingUpWithNoItemSeenIsNotComplete() {
        assertThat(FileProgress.verdict(10, 0, 0, 0, GIVE_UP, GIVE_UP)).isEqualTo(Verdict.GAVE_UP);
        assertThat(FileProgress.verdict(10, 10, 10, 9, GIVE_UP.plusSeconds(1), GIVE_UP)).isEqualTo(Verdict.GAVE_UP);
    }

    @Test
    void theWaitCountsFromWhenTheEventWasSeenSoALateEventStillGetsTheWholeWait() {
        // The file was dropped long ago (a Kafka outage delayed its event); this view saw it 1 s ago.
        assertThat(FileProgress.verdict(10, 10, 10, 0, Duration.ofSeconds(1), GIVE_UP)).isEqualTo(Verdict.WAIT);
    }
}
