package dev.digestflow.service.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.digestflow.service.config.KafkaServiceConfig;
import dev.digestflow.service.config.ServiceConfigSource;
import dev.digestflow.service.http.OpsHttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The one way a digestflow service runs standalone (Debezium server's launcher is the model): log
 * set-up, config load and validation, the schema-registry wait, metrics, the service, its ops
 * endpoint, the shutdown hook, and the exit code. A service's {@code main} is one line.
 *
 * <p>Exit codes: {@value #EXIT_CLEAN} stopped by a signal, cleanly; {@value #EXIT_FAILED} the service
 * failed (at start or later: {@link ManagedService#failure()}), so that a supervisor restarts it;
 * {@value #EXIT_BAD_CONFIG} the configuration is invalid, named by key, and a restart cannot help.
 */
public final class ServiceLauncher {

    public static final int EXIT_CLEAN = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_BAD_CONFIG = 2;
    private static final Duration FAILURE_POLL = Duration.ofMillis(200);
    /** Set when main itself exits with a code: the shutdown hook then must not replace that code. */
    private static volatile boolean exitingWithCode;

    /**
     * What the launcher needs to know of one service: its name and line for {@code --help}, its
     * {@link ConfigDef}, how to make the typed config (a ConfigException names the key; other start-up
     * inputs that can be wrong, such as a taxonomy file, are checked there too, so they exit 2 like a
     * bad key), and how to make the service (it creates what it writes to: topics, an index).
     */
    public record Definition<C extends KafkaServiceConfig>(String name, String description, ConfigDef configDef,
            Function<Map<String, Object>, C> config, Factory<C> factory) {
    }

    /** Creates the service, not yet started. */
    @FunctionalInterface
    public interface Factory<C extends KafkaServiceConfig> {
        ManagedService create(C config, PrometheusMeterRegistry meters) throws Exception;
    }

    private ServiceLauncher() {
    }

    /**
     * For a service's {@code main}: parses {@code --config}, runs, and exits with the code when it is
     * not 0. The definition comes as a supplier, called only after the log configuration is set:
     * building it loads the config class, and Kafka's AbstractConfig makes a logger when it loads,
     * which would fix logback's set-up from the defaults for good (NonRootServiceIT caught that).
     */
    public static void main(java.util.function.Supplier<Definition<?>> definitionSupplier, String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "digestflow-service-logback.xml");
        }
        Definition<?> definition = definitionSupplier.get();
        CommandLine cl = new CommandLine(new ServiceCommand(definition));
        cl.getCommandSpec().name(definition.name());
        cl.getCommandSpec().usageMessage().description(definition.description());
        int code = cl.execute(args);
        if (code != EXIT_CLEAN) {
            exitingWithCode = true;
            System.exit(code);
        }
    }

    @Command(mixinStandardHelpOptions = true)
    static final class ServiceCommand implements Callable<Integer> {
        private final Definition<?> definition;

        @Option(names = {"-c", "--config"}, description = "Properties file; DIGESTFLOW_<KEY> environment variables override it.")
        Path configFile;

        ServiceCommand(Definition<?> definition) {
            this.definition = definition;
        }

        @Override
        public Integer call() {
            return run(definition, configFile, System.getenv(), null, true);
        }
    }

    /** What to check, for failures whose cause a user fixes in the configuration. */
    private static String hint(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof org.apache.kafka.common.errors.AuthenticationException) {
                return ". Kafka refused the credentials: check the kafka.security.protocol, kafka.sasl.* and kafka.ssl.* settings "
                        + "(DIGESTFLOW_KAFKA_SASL_JAAS_CONFIG and the like)";
            }
            if (c instanceof org.apache.kafka.common.errors.AuthorizationException) {
                return ". Kafka authenticated this service but does not allow it: check the ACLs of its principal";
            }
        }
        return "";
    }

    /**
     * Runs the service until a signal stops it or it fails; returns the exit code.
     *
     * @param registryTimeout how long start-up waits for the registry; null = the service's
     *        {@value KafkaServiceConfig#SCHEMA_REGISTRY_STARTUP_WAIT_MS}
     */
    public static <C extends KafkaServiceConfig> int run(Definition<C> definition, Path configFile, Map<String, String> env, Duration registryTimeout) {
        return run(definition, configFile, env, registryTimeout, false);
    }

    /**
     * @param haltOnSignal whether the shutdown hook ends the JVM with the contract's exit code after a
     *        signal (the standalone main); false where the JVM is not ours to end (tests)
     */
    static <C extends KafkaServiceConfig> int run(Definition<C> definition, Path configFile, Map<String, String> env, Duration registryTimeout,
            boolean haltOnSignal) {
        C config;
        try {
            config = definition.config().apply(ServiceConfigSource.load(configFile, definition.configDef().names(), env));
        } catch (ConfigException e) {
            System.err.println(definition.name() + ": invalid configuration: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        } catch (java.io.IOException e) {
            System.err.println(definition.name() + ": cannot read the configuration file " + configFile + ": " + e);
            return EXIT_BAD_CONFIG;
        }
        Logger log = LoggerFactory.getLogger(definition.name());
        try {
            RegistryReadiness.await(config.serdeConfig(), registryTimeout != null ? registryTimeout : config.registryStartupWait(), log::warn);
        } catch (IllegalStateException e) {
            log.error(e.getMessage());
            System.err.println(definition.name() + ": " + e.getMessage());
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_FAILED;
        }
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ManagedService service = null;
        OpsHttpServer http = null;
        AtomicBoolean closed = new AtomicBoolean();
        CountDownLatch stopping = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        try {
            service = definition.factory().create(config, meters);
            ManagedService running = service;
            http = new OpsHttpServer(config.httpBindAddress(), config.getInt(KafkaServiceConfig.HTTP_PORT), meters, running::health);
            OpsHttpServer ops = http;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopping.countDown();
                boolean clean = closeQuietly(closed, running, ops, log);
                stopped.countDown();
                if (haltOnSignal && !exitingWithCode) {
                    // The JVM reports a stop by SIGTERM as 143 whatever the hooks did; the contract is 0 for a
                    // clean stop, 1 when stopping failed. The service is closed by now, so nothing is cut short.
                    Runtime.getRuntime().halt(clean ? EXIT_CLEAN : EXIT_FAILED);
                }
            }, definition.name() + "-shutdown"));
            service.start();
            System.out.println(definition.name() + " started; health and metrics on http://" + config.httpBindAddress() + ":" + http.port());
        } catch (Exception e) {
            String hint = hint(e);
            log.error("{} could not start: {}{}", definition.name(), e.getMessage(), hint, e);
            System.err.println(definition.name() + " could not start: " + e.getMessage() + hint);
            closeQuietly(closed, service, http, log);
            return EXIT_FAILED;
        }
        try {
            while (!stopping.await(FAILURE_POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                Throwable failure = service.failure();
                if (failure != null) {
                    log.error("{} failed and stops: {}", definition.name(), failure.toString(), failure);
                    System.err.println(definition.name() + " failed: " + failure);
                    closeQuietly(closed, service, http, log);
                    return EXIT_FAILED;
                }
            }
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return EXIT_CLEAN;
    }

    /**
     * Closes once (the failure path closes, then System.exit runs the shutdown hook, which must not
     * close again); returns whether everything closed without an error, true when it was closed already.
     */
    private static boolean closeQuietly(AtomicBoolean closed, ManagedService service, OpsHttpServer http, Logger log) {
        if (!closed.compareAndSet(false, true)) {
            return true;
        }
        boolean clean = true;
        if (service != null) {
            try {
                service.close();
            } catch (Exception e) {
                clean = false;
                log.error("error while stopping: {}", e.toString(), e);
            }
        }
        if (http != null) {
            http.close();
        }
        return clean;
    }
}
