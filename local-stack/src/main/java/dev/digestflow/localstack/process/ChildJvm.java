package dev.digestflow.localstack.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One child JVM of the local stack: started with an explicit classpath, its output appended to a log
 * file under the data directory, its stdin a pipe the child watches to die with us.
 *
 * <p>It runs in a session of its own ({@code setsid}, where the system has it). A Ctrl-C at a terminal
 * sends SIGINT to the whole foreground process group: without this, Kafka and Elasticsearch would die
 * at the same moment as the CLI, before the services commit, leave their groups and checkpoint their
 * state, and the next start would wait out the old members' session and restore every store. The
 * parent stops its children itself, in order, after the services; the stdin pipe still ends them if
 * the parent dies.
 */
public final class ChildJvm {

    private static final Logger LOG = LoggerFactory.getLogger(ChildJvm.class);
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(30);
    private static final java.util.Optional<String> SETSID = java.util.stream.Stream.of("/usr/bin/setsid", "/bin/setsid")
            .filter(p -> Files.isExecutable(Path.of(p))).findFirst();

    private final String name;
    private final Path logFile;
    private final List<String> command;
    private Process process;
    private OutputStream parentPipe;

    public ChildJvm(String name, String classpath, List<String> jvmOptions, String mainClass, List<String> args, Path logFile) {
        this.name = name;
        this.logFile = logFile;
        List<String> cmd = new ArrayList<>();
        // A child of the JVM is not a process-group leader, so setsid execs in place (no fork): the pid stays the JVM's.
        SETSID.ifPresent(cmd::add);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        this.command = List.copyOf(cmd);
    }

    public void start() throws IOException {
        Files.createDirectories(logFile.getParent());
        Files.writeString(logFile, "---- " + Instant.now() + " starting " + name + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        process = builder.start();
        parentPipe = process.getOutputStream();
        LOG.debug("started {} (pid {}): {}", name, process.pid(), command);
    }

    /**
     * Polls the readiness check until it passes or the deadline expires. Fails at once, with the tail
     * of the child's log, when the child exits in the meantime.
     */
    public void awaitReady(BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " during start-up. Last lines of " + logFile + ":\n" + tail(40));
            }
            if (ready.getAsBoolean()) {
                return;
            }
            try {
                process.waitFor(250, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s. Last lines of "
                + logFile + ":\n" + tail(40));
    }

    /** SIGTERM, then SIGKILL after a grace period; waits until the process is gone. */
    public void stop() {
        if (process == null) {
            return;
        }
        try {
            process.destroy();
            if (!process.waitFor(GRACEFUL_STOP.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("{} (pid {}) did not stop within {} s; killing it", name, process.pid(), GRACEFUL_STOP.toSeconds());
                process.destroyForcibly().waitFor();
            }
            parentPipe.close();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // The pipe is already closed when the child is gone.
        }
    }

    /** kill -9, for fault-injection tests: no shutdown hooks run in the child. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly().waitFor();
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    /** The last lines of the child's log, for error messages. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e.getMessage() + ")";
        }
    }
}
