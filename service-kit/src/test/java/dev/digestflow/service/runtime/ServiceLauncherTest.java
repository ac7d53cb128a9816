package dev.digestflow.service.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import dev.digestflow.service.config.KafkaServiceConfig;
import dev.digestflow.service.http.OpsHttpServer;

/** The launcher's exit codes and its "a failed service stops the process" rule, with a fake service. */
class ServiceLauncherTest {

    static final ConfigDef DEF = new ConfigDef()
            .define(KafkaServiceConfig.SCHEMA_REGISTRY_URL, Type.STRING, "mock://launcher-test", Importance.HIGH, "registry")
            .define(KafkaServiceConfig.HTTP_PORT, Type.INT, 0, ConfigDef.Range.between(0, 65535), Importance.LOW, "ops port")
            .define(KafkaServiceConfig.HTTP_BIND_ADDRESS, Type.STRING, "127.0.0.1", Importance.LOW, "ops address");

    static final class FakeConfig extends KafkaServiceConfig {
        FakeConfig(Map<?, ?> originals) {
            super(DEF, originals);
        }
    }

    static final class FakeService implements ManagedService {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile boolean dieAfterStart;

        @Override
        public void start() {
            if (dieAfterStart) {
                failure.set(new OutOfMemoryError("the worker died"));
            }
        }

        @Override
        public OpsHttpServer.Health health() {
            return new OpsHttpServer.Health(failure.get() == null, failure.get() == null, "fake");
        }

        @Override
        public Throwable failure() {
            return failure.get();
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    static ServiceLauncher.Definition<FakeConfig> definition(FakeService service, boolean createFails) {
        return new ServiceLauncher.Definition<>("fake", "a fake service", DEF, FakeConfig::new, (config, meters) -> {
            if (createFails) {
                throw new IllegalStateException("cannot reach the thing it needs");
            }
            return service;
        });
    }

    @Test
    void anInvalidKeyExitsTwo() {
        int code = ServiceLauncher.run(definition(new FakeService(), false), null, Map.of("DIGESTFLOW_HTTP_PORT", "70000"), Duration.ofSeconds(1));
        assertThat(code).isEqualTo(ServiceLauncher.EXIT_BAD_CONFIG);
    }

    @Test
    void aServiceThatCannotBeCreatedExitsOne() {
        int code = ServiceLauncher.run(definition(new FakeService(), true), null, Map.of(), Duration.ofSeconds(1));
        assertThat(code).isEqualTo(ServiceLauncher.EXIT_FAILED);
    }

    @Test
    void aServiceThatFailsLaterStopsTheProcessWithOneAndIsClosed() {
        FakeService service = new FakeService();
        service.dieAfterStart = true; // its worker dies once it runs, as an out-of-memory would end it
        int code = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> ServiceLauncher.run(definition(service, false), null, Map.of(), Duration.ofSeconds(1)));
        assertThat(code).isEqualTo(ServiceLauncher.EXIT_FAILED);
        assertThat(service.closed).isTrue();
    }

    @Test
    void aConfigExceptionFromTheDefinitionIsABadConfig() {
        ServiceLauncher.Definition<FakeConfig> strict = new ServiceLauncher.Definition<>("strict", "", DEF, values -> {
            throw new ConfigException("taxonomy.file", "/nope", "no such file");
        }, (config, meters) -> {
            throw new AssertionError("not reached");
        });
        assertThat(ServiceLauncher.run(strict, null, Map.of(), Duration.ofSeconds(1))).isEqualTo(ServiceLauncher.EXIT_BAD_CONFIG);
    }
}
