package dev.digestflow.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.digestflow.service.config.ServiceConfigSource;

/**
 * One digestflow service as its own JVM, configured the way an operator would (DIGESTFLOW_*
 * variables), so that a test can kill it with -9 and start it again on the same state folders.
 * Output goes to a log file per start, kept for the failure message.
 */
final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final String mainClass;
    private final Map<String, Object> settings;
    private final String startedLine;
    private final Path logDir;
    private final java.util.List<String> jvmOptions = new java.util.ArrayList<>();
    private Process process;
    private Path log;
    private int starts;

    ServiceProcess(String name, Class<?> mainClass, Map<String, Object> settings, String startedLine, Path logDir) {
        this.name = name;
        this.mainClass = mainClass.getName();
        this.settings = Map.copyOf(settings);
        this.startedLine = startedLine;
        this.logDir = logDir;
    }

    String name() {
        return name;
    }

    /** Extra JVM options for the next starts, e.g. a logging configuration. */
    ServiceProcess jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** Starts the JVM and waits for its "started" line; a JVM that exits first fails with its log. */
    void start(Duration timeout) throws IOException {
        launch();
        awaitLog(startedLine, timeout);
    }

    /** Starts the JVM without waiting for anything. */
    void launch() throws IOException {
        Files.createDirectories(logDir);
        log = logDir.resolve(name + "-" + (++starts) + ".log");
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        settings.forEach((k, v) -> pb.environment().put(ServiceConfigSource.envName(k), String.valueOf(v)));
        process = pb.start();
    }

    /** Waits until the current log contains the text; fails with the log if the JVM exits or time runs out. */
    void awaitLog(String text, Duration timeout) throws IOException {
        try {
            org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .failFast(name + " exited", () -> !process.isAlive() && !log().contains(text)).until(() -> log().contains(text));
        } catch (org.awaitility.core.ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new IllegalStateException(process.isAlive() ? name + " did not print '" + text + "' within " + timeout.toSeconds() + " s:\n" + tail(40)
                    : name + " exited with " + process.exitValue() + " before printing '" + text + "':\n" + tail(40), e);
        }
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** kill -9: no shutdown hook, no flush, no commit. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    /** The exit code of the last start, once it has exited. */
    int exitCode() {
        return process.exitValue();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: the services stop cleanly on it
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
