package dev.digestflow.sink.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class OutageLogTest {

    @Test
    void logsOncePerIntervalNotOncePerFailure() {
        AtomicLong now = new AtomicLong();
        OutageLog log = new OutageLog(Duration.ofSeconds(30), now::get);
        assertThat(log.down()).isFalse();
        assertThat(log.failure("connection refused", 10)).isTrue();
        int logged = 0;
        for (int i = 0; i < 1000; i++) {
            now.addAndGet(Duration.ofMillis(100).toNanos());
            if (log.failure("connection refused", 10)) {
                logged++;
            }
        }
        assertThat(logged).as("100 s of failures at a 30 s interval").isEqualTo(3);
        assertThat(log.down()).isTrue();
        assertThat(log.success()).isTrue();
        assertThat(log.down()).isFalse();
        assertThat(log.success()).as("no outage to end").isFalse();
    }
}
