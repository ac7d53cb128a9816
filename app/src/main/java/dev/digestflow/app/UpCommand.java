package dev.digestflow.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.digestflow.app.console.ConsoleServer;
import dev.digestflow.app.console.ConsoleSettings;
import dev.digestflow.localstack.LocalStack;
import dev.digestflow.localstack.LocalStackConfig;
import dev.digestflow.schema.FileStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./digestflow up}: the local stack plus the three services, a ready banner, one line per
 * file, a periodic summary. Ctrl-C stops everything in order ({@link TerminalInterrupts}; the
 * children run in sessions of their own, so the terminal's SIGINT reaches only this process); the
 * next {@code up} on the same home continues with the same topics, offsets, dedup state and index.
 */
@Command(name = "up", mixinStandardHelpOptions = true, description = "Start Kafka, the registry, Elasticsearch and the three services; watch <home>/inbox.")
final class UpCommand implements Callable<Integer> {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    @Option(names = "--home", defaultValue = "${env:DIGESTFLOW_HOME:-digestflow-home}",
            description = "inbox/, processed/, failed/, data/ (default: $DIGESTFLOW_HOME, else digestflow-home).")
    Path home;

    @Option(names = "--config", description = "The services' settings (the README's keys; a key may name its service: enrich-streams.taxonomy.file=...). "
            + "DIGESTFLOW_* variables apply on top, as for the standalone services.")
    Path config;

    @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka bootstrap port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--kafka-controller-port", defaultValue = "9093", description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
    int kafkaControllerPort;

    @Option(names = "--registry-port", defaultValue = "8081", description = "Schema registry port (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--es-port", defaultValue = "9200", description = "Elasticsearch HTTP port (default: ${DEFAULT-VALUE}).")
    int esPort;

    @Option(names = "--es-transport-port", defaultValue = "9300", description = "Elasticsearch transport port (default: ${DEFAULT-VALUE}).")
    int esTransportPort;

    @Option(names = "--ingest-port", defaultValue = "8091", description = "ingest-producer /health and /metrics (default: ${DEFAULT-VALUE}).")
    int ingestPort;

    @Option(names = "--enrich-port", defaultValue = "8092", description = "enrich-streams /health and /metrics (default: ${DEFAULT-VALUE}).")
    int enrichPort;

    @Option(names = "--sink-port", defaultValue = "8093", description = "index-sink /health and /metrics (default: ${DEFAULT-VALUE}).")
    int sinkPort;

    @Option(names = "--console-port", defaultValue = "8090", description = "The web console (0: any free port) (default: ${DEFAULT-VALUE}).")
    int consolePort;

    @Option(names = "--console-bind", defaultValue = "127.0.0.1",
            description = "Address the console listens on (default: ${DEFAULT-VALUE}). Beyond loopback it needs DIGESTFLOW_CONSOLE_USER and DIGESTFLOW_CONSOLE_PASSWORD.")
    String consoleBind;

    @Option(names = "--no-console", description = "Do not serve the web console.")
    boolean noConsole;

    @Option(names = "--summary-interval", defaultValue = "PT60S", description = "How often to print a summary when something changed (default: ${DEFAULT-VALUE}).")
    Duration summaryInterval;

    /** What the stop is doing now, for a second Ctrl-C. */
    private volatile String stopStep = "the start-up to finish";
    private volatile Pipeline pipelineStopping;
    /** What is running, for the shutdown hook: null until started. */
    private volatile LocalStack stack;
    private volatile Pipeline pipeline;
    private volatile FileProgress progress;
    private volatile ScheduledExecutorService summaries;
    private volatile ConsoleServer console;

    /**
     * The shutdown hook: whatever has started, stopped in order (progress view, services, then the
     * stack: registry, Elasticsearch, Kafka). Runs on Ctrl-C, SIGTERM and every exit of {@code call}.
     */
    private void stopAll(Path root, CountDownLatch stopped) {
        if (stack == null) {
            // Stopped during the stack's start-up: its children see this process go and stop themselves.
            say("stopped during start-up.");
            stopped.countDown();
            return;
        }
        say("stopping: services first (the sink drains to Elasticsearch), then Elasticsearch, Kafka and the registry ...");
        if (summaries != null) {
            summaries.shutdownNow();
        }
        try {
            if (console != null) {
                console.close();
            }
            if (progress != null) {
                progress.close();
            }
            Pipeline p = pipeline;
            if (p != null) {
                stopStep = "the services";
                pipelineStopping = p;
                p.close();
            }
        } catch (Exception e) {
            System.err.println("while stopping the services: " + e);
        }
        pipelineStopping = null;
        stack.close(step -> stopStep = step);
        try {
            Files.deleteIfExists(Endpoints.file(root));
        } catch (IOException ignored) {
            // Next up overwrites it.
        }
        say("stopped. `./digestflow up --home " + home + "` continues with the same data.");
        stopped.countDown();
    }

    private String stopStep() {
        Pipeline p = pipelineStopping;
        return p != null ? p.closing() : stopStep;
    }

    @Override
    public Integer call() throws Exception {
        Path root = home.toAbsolutePath().normalize();
        for (String dir : new String[] {"inbox", "processed", "failed", "data/logs"}) {
            Files.createDirectories(root.resolve(dir));
        }
        System.setProperty("digestflow.log.dir", root.resolve("data/logs").toString());
        UpConfiguration user;
        ConsoleSettings consoleSettings = null;
        try {
            if (!noConsole) {
                consoleSettings = ConsoleSettings.of(consoleBind, consolePort, System.getenv());
                portFree(consoleSettings.bindAddress(), consoleSettings.port(), "--console-port");
            }
            user = UpConfiguration.load(config, System.getenv());
            // Checked before anything starts: a bad key or taxonomy costs no stack start.
            Pipeline.configs("127.0.0.1:" + kafkaPort, "http://127.0.0.1:" + registryPort, "http://127.0.0.1:" + esPort, PipelineNames.defaults(), root,
                    new Pipeline.Ports(ingestPort, enrichPort, sinkPort), user);
        } catch (org.apache.kafka.common.config.ConfigException e) {
            System.err.println("invalid configuration: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("cannot read the configuration file " + config + ": " + e);
            return 2;
        }
        TerminalInterrupts.install(this::stopStep);
        // Registered before anything starts: a Ctrl-C at any moment stops whatever is running by then, in order.
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(root, stopped), "digestflow-shutdown"));
        long t0 = System.nanoTime();
        say("starting the local stack (Kafka, schema registry, Elasticsearch) in " + root.resolve("data") + " ...");
        try {
            stack = LocalStack.start(LocalStackConfig.builder(root.resolve("data")).kafkaPort(kafkaPort).kafkaControllerPort(kafkaControllerPort)
                    .registryPort(registryPort).elasticsearchPort(esPort).elasticsearchTransportPort(esTransportPort).build());
        } catch (RuntimeException e) {
            System.err.println("the local stack failed to start: " + e.getMessage());
            return 1;
        }
        say(String.format(Locale.ROOT, "local stack ready in %.1f s; starting ingest-producer, enrich-streams and index-sink ...", seconds(t0)));
        try {
            pipeline = Pipeline.start(Pipeline.configs(stack.bootstrapServers(), stack.registryUrl(), stack.elasticsearchUrl(), PipelineNames.defaults(), root,
                    new Pipeline.Ports(ingestPort, enrichPort, sinkPort), user));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!pipeline.ready() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        } catch (org.apache.kafka.common.config.ConfigException e) {
            System.err.println("invalid configuration: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("the services failed to start: " + e);
            return 1;
        }
        Endpoints endpoints = pipeline.endpoints();
        endpoints.write(root);
        if (consoleSettings != null) {
            try {
                console = ConsoleServer.start(consoleSettings, endpoints, PipelineNames.defaults(), root);
            } catch (Exception e) {
                System.err.println("the console failed to start on " + consoleSettings.bindAddress() + ":" + consoleSettings.port() + ": " + e
                        + " (choose another --console-port, or --no-console)");
                return 1;
            }
        }

        Tally tally = new Tally();
        progress = new FileProgress(endpoints, PipelineNames.defaults(), false, r -> {
            tally.add(r);
            say(r.line());
        }).start();
        summaries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "digestflow-summary");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, summaryInterval.toSeconds());
        summaries.scheduleAtFixedRate(() -> tally.summaryIfChanged().ifPresent(UpCommand::say), every, every, TimeUnit.SECONDS);
        banner(root, endpoints, console == null ? null : console.url(), seconds(t0), pipeline.ready(), user.applied());

        // A service that fails for good (the ingest worker died, Streams reached ERROR, a fatal sink error)
        // stops everything with exit code 1, as the standalone launcher does, so that a supervisor notices.
        while (!stopped.await(500, TimeUnit.MILLISECONDS)) {
            Throwable failure = pipeline.failure();
            if (failure != null) {
                System.err.println("a service failed and everything stops: " + failure);
                return 1;
            }
        }
        return 0;
    }

    private static void banner(Path root, Endpoints e, String consoleUrl, double seconds, boolean ready, java.util.List<String> applied) {
        String nl = System.lineSeparator();
        String text = String.format(Locale.ROOT, "%ndigestflow is %s in %.1f s%n", ready ? "up" : "up (some services not ready yet)", seconds)
                + "  console                 " + (consoleUrl == null ? "off (--no-console)" : consoleUrl + "   (pipeline, topics, files, dead letters, items)") + nl
                + "  drop digest files into  " + root.resolve("inbox") + nl
                + "  results                 " + root.resolve("processed") + "  /  " + root.resolve("failed") + " (with <name>.error.txt)" + nl
                + "  Kafka                   " + e.bootstrapServers() + nl
                + "  Schema Registry         " + e.registryUrl() + nl
                + "  Elasticsearch           " + e.elasticsearchUrl() + "   (search: " + e.elasticsearchUrl() + "/digest-items/_search)" + nl
                + "  ingest-producer         http://127.0.0.1:" + e.ingestHttpPort() + "/health   /metrics" + nl
                + "  enrich-streams          http://127.0.0.1:" + e.enrichHttpPort() + "/health   /metrics" + nl
                + "  index-sink              http://127.0.0.1:" + e.sinkHttpPort() + "/health   /metrics" + nl
                + "  logs                    " + root.resolve("data/logs") + nl
                + "  settings                " + (applied.isEmpty() ? "defaults (no --config file, no DIGESTFLOW_* variable)" : String.join("; ", applied)) + nl
                + "Ctrl-C stops everything. In another shell: ./digestflow status --home " + root + nl;
        System.out.println(text);
        System.out.flush();
    }

    /** Fails before anything starts when a port is taken, rather than after the stack's 10 s start. */
    private static void portFree(String address, int port, String option) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(address, port));
        } catch (IOException e) {
            throw new IllegalArgumentException(address + ":" + port + " is taken (" + e.getMessage() + "): choose another " + option + ", or --no-console");
        }
    }

    static void say(String line) {
        System.out.println(LocalTime.now().format(CLOCK) + "  " + line);
        System.out.flush();
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Running totals of the file reports, for the periodic summary. */
    private static final class Tally {
        final AtomicLong processed = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong skipped = new AtomicLong();
        final AtomicLong items = new AtomicLong();
        final AtomicLong fresh = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        long lastPrinted = -1;

        void add(FileProgress.FileReport r) {
            if (r.status() == FileStatus.PROCESSED) {
                processed.incrementAndGet();
                items.addAndGet(r.items());
                fresh.addAndGet(r.newItems());
                duplicates.addAndGet(r.duplicates());
            } else if (r.status() == FileStatus.FAILED) {
                failed.incrementAndGet();
            } else {
                skipped.incrementAndGet();
            }
        }

        synchronized java.util.Optional<String> summaryIfChanged() {
            long stamp = processed.get() + failed.get() + skipped.get();
            if (stamp == lastPrinted) {
                return java.util.Optional.empty();
            }
            lastPrinted = stamp;
            return java.util.Optional.of(String.format(Locale.ROOT, "summary: %d files processed, %d failed, %d skipped; %d items, %d new documents, %d duplicates",
                    processed.get(), failed.get(), skipped.get(), items.get(), fresh.get(), duplicates.get()));
        }
    }
}
