package dev.digestflow.localstack.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

import dev.digestflow.localstack.process.ChildJvm;
import dev.digestflow.localstack.process.Classpaths;
import dev.digestflow.localstack.process.ParentWatchingMain;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in a child JVM, with its
 * log directory under the data directory so topics and committed offsets survive a restart.
 */
public final class KafkaBroker implements AutoCloseable {

    private final Path home;
    private final int port;
    private final int controllerPort;
    private final ChildJvm jvm;
    private final SaslListener sasl;

    /**
     * An extra SASL_PLAINTEXT listener (mechanism PLAIN, built into Kafka) beside the PLAINTEXT one,
     * with its users and passwords: for proving that clients authenticate for real, with a handshake.
     * No authorizer: an authenticated user may do anything, as on a broker without ACLs.
     */
    public record SaslListener(int port, Map<String, String> users) {

        public String bootstrapServers() {
            return "127.0.0.1:" + port;
        }

        /** The client settings that log in as {@code user} with {@code password} over this listener. */
        public static Map<String, String> clientSettings(String user, String password) {
            return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                    "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                            + "\" password=\"" + password + "\";");
        }
    }

    public KafkaBroker(Path home, Path logFile, int port, int controllerPort, int heapMb) {
        this(home, logFile, port, controllerPort, heapMb, null);
    }

    public KafkaBroker(Path home, Path logFile, int port, int controllerPort, int heapMb, SaslListener sasl) {
        this.home = home;
        this.sasl = sasl;
        this.port = port;
        this.controllerPort = controllerPort;
        this.jvm = new ChildJvm("kafka", Classpaths.of(ParentWatchingMain.class, "local-stack.classpath"),
                List.of("-Xms" + heapMb + "m", "-Xmx" + heapMb + "m", "-XX:+UseG1GC", "-XX:TieredStopAtLevel=1",
                        "-Dlogback.configurationFile=digestflow-child-logback.xml"),
                ParentWatchingMain.class.getName(), List.of("kafka.Kafka", serverProperties().toString()), logFile);
    }

    /** Formats the log directory on first use, then starts the broker process (does not wait). */
    public void start() throws IOException {
        Files.createDirectories(logDir());
        writeServerProperties();
        formatIfNeeded();
        jvm.start();
    }

    /** Waits until {@code Admin.describeCluster} answers: an open port alone does not mean ready. */
    public void awaitReady(Duration timeout) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200))) {
            jvm.awaitReady(() -> {
                try {
                    return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(1500)).nodes()
                            .get(2, TimeUnit.SECONDS).isEmpty();
                } catch (Exception notYet) {
                    return false;
                }
            }, timeout);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public ChildJvm process() {
        return jvm;
    }

    @Override
    public void close() {
        jvm.stop();
    }

    private Path logDir() {
        return home.resolve("log-dirs");
    }

    private Path serverProperties() {
        return home.resolve("server.properties");
    }

    private void writeServerProperties() throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String listeners = "PLAINTEXT://127.0.0.1:" + port;
        String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
        if (sasl != null) {
            listeners += ",SASL_PLAINTEXT://127.0.0.1:" + sasl.port();
            protocols += ",SASL_PLAINTEXT:SASL_PLAINTEXT";
            p.setProperty("sasl.enabled.mechanisms", "PLAIN");
            StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
            sasl.users().forEach((user, password) -> jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
            p.setProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.append(';').toString());
        }
        p.setProperty("listeners", listeners + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", listeners);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", protocols);
        p.setProperty("log.dirs", logDir().toString());
        // A single broker: every internal topic must live with one replica.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "10");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "10");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        p.setProperty("num.partitions", "1");
        p.setProperty("auto.create.topics.enable", "true");
        // Consumer groups (tests, a fresh `up`) start at once instead of after 3 s.
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        try (Writer w = Files.newBufferedWriter(serverProperties(), StandardCharsets.UTF_8)) {
            p.store(w, "written by digestflow local-stack; regenerated at every start");
        }
    }

    private void formatIfNeeded() throws IOException {
        if (Files.exists(logDir().resolve("meta.properties"))) {
            return;
        }
        Path clusterIdFile = home.resolve("cluster.id");
        String clusterId;
        if (Files.exists(clusterIdFile)) {
            clusterId = Files.readString(clusterIdFile, StandardCharsets.UTF_8).trim();
        } else {
            clusterId = Uuid.randomUuid().toString();
            Files.writeString(clusterIdFile, clusterId, StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code;
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            code = kafka.tools.StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", serverProperties().toString()}, print);
        }
        if (code != 0) {
            throw new IOException("formatting the Kafka log directory " + logDir() + " failed (code " + code + "): "
                    + out.toString(StandardCharsets.UTF_8));
        }
    }
}
