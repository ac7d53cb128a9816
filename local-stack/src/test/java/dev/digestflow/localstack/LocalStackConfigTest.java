package dev.digestflow.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class LocalStackConfigTest {

    @Test
    void defaultsAreTheContractPorts() {
        LocalStackConfig config = LocalStackConfig.builder(Path.of("data")).build();
        assertThat(config.kafkaPort()).isEqualTo(9092);
        assertThat(config.registryPort()).isEqualTo(8081);
        assertThat(config.elasticsearchPort()).isEqualTo(9200);
        assertThat(config.elasticsearchHeapMb()).isEqualTo(512);
        assertThat(config.dataDir()).isAbsolute();
    }

    @Test
    void twoComponentsOnOnePortAreRejectedNamingBothOptions() {
        assertThatThrownBy(() -> LocalStackConfig.builder(Path.of("data")).registryPort(9200).build())
                .hasMessage("--es-port and --registry-port are both 9200; each component needs its own port");
    }

    @Test
    void outOfRangePortNamesTheOption() {
        assertThatThrownBy(() -> LocalStackConfig.builder(Path.of("data")).kafkaPort(70000).build())
                .hasMessageContaining("--kafka-port 70000 is not a valid port");
    }

    @Test
    void tooSmallHeapIsRejected() {
        assertThatThrownBy(() -> LocalStackConfig.builder(Path.of("data")).elasticsearchHeapMb(64).build())
                .hasMessageContaining("--es-heap-mb");
    }

    @Test
    void freePortsAreDistinctAndNotTheContractOnes() {
        LocalStackConfig config = LocalStackConfig.builder(Path.of("data")).freePorts().build();
        assertThat(config.portsByOption().values()).doesNotHaveDuplicates().doesNotContain(9092, 8081, 9200);
    }
}
