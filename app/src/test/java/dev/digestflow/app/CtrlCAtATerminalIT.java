package dev.digestflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C as a person presses it: {@code ./digestflow up} runs under a pseudo-terminal ({@code script}),
 * and the test types ^C into it, so the terminal's line discipline sends SIGINT to the whole
 * foreground process group, as it does for a user. Before the children had sessions of their own,
 * Kafka and Elasticsearch died at that same moment, the services could not commit or leave their
 * groups, and the next start restored every state store and waited out the old sink member's session
 * (52 s instead of 11 s).
 *
 * <p>Three runs on one home: (1) start, ingest a file, ^C, ^C again (the stop says what it waits for),
 * a clean stop; (2) start again: no task re-initialized, the services ready without waiting out a
 * session; then ^C three times (the third stops at once); the children then stop by themselves;
 * (3) ^C while the stack is still starting: a clean exit.
 */
class CtrlCAtATerminalIT {

    private static final Pattern STACK_READY = Pattern.compile("local stack ready in ([0-9.]+) s");
    private static final Pattern UP = Pattern.compile("digestflow is up in ([0-9.]+) s");
    private static final List<String> REINITIALIZED = List.of("need to be re-initialized", "did not find checkpoint offsets");

    @Test
    void ctrlCAtATerminalStopsInOrderAndTheNextStartIsFast(@TempDir Path tmp) throws Exception {
        Path home = tmp.resolve("home");
        List<String> ports = new ArrayList<>();
        for (String option : List.of("--kafka-port", "--kafka-controller-port", "--registry-port", "--es-port", "--es-transport-port",
                "--ingest-port", "--enrich-port", "--sink-port", "--console-port")) {
            ports.add(option);
            ports.add(String.valueOf(freePort()));
        }
        int kafkaPort = Integer.parseInt(ports.get(1));

        // Run 1: start, one file end to end, then ^C and a second ^C while it stops.
        Terminal first = Terminal.start(tmp, "run1", home, ports);
        try {
            String up1 = first.awaitOutput("digestflow is up", Duration.ofMinutes(4));
            try (var sample = CtrlCAtATerminalIT.class.getResourceAsStream("/samples/003_19fcee2af990f575.txt")) {
                Files.copy(sample, home.resolve("inbox").resolve("003_19fcee2af990f575.txt"));
            }
            first.awaitOutput("indexed", Duration.ofMinutes(2));
            // The console the banner names answers, on loopback, with the file's items counted.
            Matcher console = Pattern.compile("console\\s+(http://127\\.0\\.0\\.1:\\d+)").matcher(up1);
            assertThat(console.find()).as(up1).isTrue();
            var http = java.net.http.HttpClient.newHttpClient();
            String pipeline = await().atMost(Duration.ofSeconds(30)).until(() -> http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(console.group(1) + "/api/pipeline")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body(),
                    body -> indexed(body) == 48);
            assertThat(pipeline).contains("digest.items.raw");
            first.type("\u0003");
            first.awaitOutput("Ctrl-C: stopping in order", Duration.ofSeconds(30));
            first.type("\u0003");
            String stopped = first.awaitOutput("stopped.", Duration.ofMinutes(2));
            assertThat(first.awaitExit(Duration.ofMinutes(1))).as(stopped).isEqualTo(TerminalInterrupts.EXIT_CODE);
            assertThat(stopped).contains("still stopping: waiting for");
            double[] f1 = figures(up1);
            System.out.printf(Locale.ROOT, "first start: up in %.1f s (local stack %.1f s)%n", f1[1], f1[0]);
        } finally {
            first.close();
        }

        // Run 2: the restart after Ctrl-C.
        Path log = home.resolve("data/logs/digestflow.log");
        long logOffset = Files.size(log);
        Terminal second = Terminal.start(tmp, "run2", home, ports);
        try {
            String up2 = second.awaitOutput("digestflow is up", Duration.ofMinutes(4));
            double[] f = figures(up2);
            System.out.printf(Locale.ROOT, "restart after Ctrl-C: up in %.1f s (local stack %.1f s, services %.1f s)%n", f[1], f[0], f[1] - f[0]);
            String restartLog = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).substring((int) logOffset);
            for (String symptom : REINITIALIZED) {
                assertThat(restartLog).as("enrich-streams state after a Ctrl-C").doesNotContain(symptom);
            }
            // An old sink member left behind by a hard stop costs its whole session (45 s) before the
            // new one gets partitions; a clean stop left its group, so the services are ready well before.
            assertThat(f[1] - f[0]).as("seconds from the stack being ready to the services being ready").isLessThan(30);

            // ^C three times: the third stops at once, without waiting.
            second.type("\u0003");
            second.awaitOutput("Ctrl-C: stopping in order", Duration.ofSeconds(30));
            second.type("\u0003");
            second.awaitOutput("still stopping", Duration.ofSeconds(30));
            second.type("\u0003");
            assertThat(second.awaitExit(Duration.ofMinutes(1))).isEqualTo(TerminalInterrupts.EXIT_CODE);
            assertThat(second.output()).satisfiesAnyOf(o -> assertThat(o).contains("stopping at once"), o -> assertThat(o).contains("stopped."));
        } finally {
            second.close();
        }
        await().atMost(Duration.ofMinutes(2)).until(() -> portFree(kafkaPort) && childrenOf(home).isEmpty());

        // Run 3: Ctrl-C while the stack is still starting (CI once caught a press that came before the
        // shutdown hook existed, which ended in "Shutdown in progress"): a clean exit, no stack trace.
        Terminal third = Terminal.start(tmp, "run3", home, ports);
        try {
            third.awaitOutput("starting the local stack", Duration.ofMinutes(1));
            third.type("\u0003");
            assertThat(third.awaitExit(Duration.ofMinutes(2))).isEqualTo(TerminalInterrupts.EXIT_CODE);
            assertThat(third.output()).doesNotContain("Exception").doesNotContain("\tat ");
        } finally {
            third.close();
        }
        // However it stopped, no child outlives it: their stdin pipe ends them (and only then may the home be removed).
        await().atMost(Duration.ofMinutes(2)).until(() -> portFree(kafkaPort) && childrenOf(home).isEmpty());
    }

    private static double[] figures(String output) {
        Matcher stack = STACK_READY.matcher(output);
        Matcher up = UP.matcher(output);
        assertThat(stack.find()).as(output).isTrue();
        assertThat(up.find()).as(output).isTrue();
        return new double[] {Double.parseDouble(stack.group(1)), Double.parseDouble(up.group(1))};
    }

    /** Processes still running from this home (the stack's children name their data folders on their command lines). */
    private static List<ProcessHandle> childrenOf(Path home) {
        String marker = home.toString();
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false)).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code up} in a pseudo-terminal of its own, through util-linux's {@code script}; keystrokes go to the terminal. */
    private static final class Terminal implements AutoCloseable {
        private final Process process;
        private final OutputStream keyboard;
        private final Path output;

        private Terminal(Process process, Path output) {
            this.process = process;
            this.keyboard = process.getOutputStream();
            this.output = output;
        }

        static Terminal start(Path tmp, String name, Path home, List<String> ports) throws IOException {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path script = tmp.resolve(name + ".sh");
            StringBuilder cmd = new StringBuilder("exec env --default-signal=INT ")
                    .append(quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()))
                    .append(" -Xmx768m -cp ").append(quote(classpath)).append(" dev.digestflow.app.DigestflowCli up --home ").append(quote(home.toString()));
            ports.forEach(p -> cmd.append(' ').append(p));
            Files.writeString(script, cmd + "\n");
            Path out = tmp.resolve(name + ".out");
            // script -e: exit with the child's code; -f: flush at once; -q: no banner. A test JVM that ignores
            // SIGINT (started in the background) passes that on; env --default-signal gives the CLI a terminal's defaults.
            Process p = new ProcessBuilder("script", "-qfec", "sh " + quote(script.toString()), "/dev/null")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            return new Terminal(p, out);
        }

        void type(String keys) throws IOException {
            keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
        }

        String output() throws IOException {
            return Files.readString(output, StandardCharsets.ISO_8859_1);
        }

        String awaitOutput(String text, Duration timeout) throws IOException {
            await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> output().contains(text) || !process.isAlive());
            String now = output();
            assertThat(now).as("terminal output while waiting for '%s'", text).contains(text);
            return now;
        }

        int awaitExit(Duration timeout) throws InterruptedException {
            assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("up exited").isTrue();
            return process.exitValue();
        }

        @Override
        public void close() {
            // Closing the terminal hangs it up: the CLI gets SIGHUP and stops as on SIGTERM.
            process.destroy();
            try {
                if (!process.waitFor(2, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static String quote(String s) {
            return "'" + s.replace("'", "'\\''") + "'";
        }
    }

    /** The documents the console's Pipeline API counts in the index. */
    private static long indexed(String pipelineJson) {
        try {
            for (var stage : new com.fasterxml.jackson.databind.ObjectMapper().readTree(pipelineJson).path("stages")) {
                if (stage.path("id").asText().equals("index")) {
                    return stage.path("count").asLong(-1);
                }
            }
        } catch (IOException notJsonYet) {
            // asked again until the deadline
        }
        return -1;
    }
}
