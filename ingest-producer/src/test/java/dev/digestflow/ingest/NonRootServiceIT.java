package dev.digestflow.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.digestflow.ingest.config.IngestConfig;
import dev.digestflow.schema.FileEvent;
import dev.digestflow.schema.FileStatus;
import dev.digestflow.teststack.TestNames;
import dev.digestflow.teststack.TestStack;
import dev.digestflow.teststack.TestStackExtension;

/**
 * The packaged service as the Docker image runs it: {@code IngestProducerMain} in its own JVM, as a
 * non-root user ({@code nobody}, through util-linux's {@code setpriv} when the build runs as root, as
 * CI does here). Permissions bind only such a user, so this is where a mode-000 file is really
 * unreadable: it must end in failed/ with the reason, and the service must go on. The run also shows
 * the launcher's contract: a SIGTERM stops it with exit code 0.
 */
@ExtendWith(TestStackExtension.class)
class NonRootServiceIT {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @Test
    void aModeZeroFileFailsWithItsReasonForANonRootServiceAndIngestionGoesOn(TestStack stack, TestNames names, @TempDir Path dir) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        // A world-readable place for the classpath and a home the service user owns: /root and @TempDir are not theirs.
        Path work = Files.createTempDirectory(Path.of("/tmp"), "digestflow-nonroot-");
        try {
            IngestHarness h = new IngestHarness(stack, names, work.resolve("home"), "nonroot");
            Path config = work.resolve("ingest.properties");
            Map<String, Object> settings = h.settings("nonroot");
            settings.put(IngestConfig.HTTP_PORT, 0);
            List<String> lines = new ArrayList<>();
            settings.forEach((k, v) -> lines.add(k + "=" + v.toString().replace("\\", "\\\\")));
            Files.write(config, lines);
            String classpath = readableClasspath(work.resolve("cp"));
            openUp(work);
            if (root) {
                chownTree(work.resolve("home"), "nobody");
            }

            List<String> command = new ArrayList<>();
            if (root) {
                command.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
            }
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", classpath,
                    IngestProducerMain.class.getName(), "--config", config.toString()));
            Path log = work.resolve("service.log");
            Process service = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                await().atMost(DEADLINE).until(() -> Files.readString(log).contains("ingest-producer started") || !service.isAlive());
                assertThat(service.isAlive()).as("started; log:\n" + Files.readString(log)).isTrue();
                // The packaged main logs with the service configuration (ISO-8601 dates), not with logback-test.xml,
                // which is on this classpath too: the launcher sets it before any logger exists.
                assertThat(Files.readString(log)).containsPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3} INFO  \\[main\\] d.d.ingest.IngestService");

                Path staging = Files.createDirectories(work.resolve("staging"));
                Path locked = Files.writeString(staging.resolve("locked.md"), "# Locked\n\n## Permissions Are Respected By The Inbox\n\nText.\n");
                Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
                Files.move(locked, h.inbox.resolve("locked.md"), StandardCopyOption.ATOMIC_MOVE);
                await().atMost(DEADLINE).until(() -> lastEvents(h).containsKey("locked.md"));
                h.drop("good.md", "# Issue\n\n## A Readable File After The Locked One\n\nText.\n".getBytes(StandardCharsets.UTF_8));
                await().atMost(DEADLINE).until(() -> lastEvents(h).containsKey("good.md"));

                FileEvent lockedEvent = lastEvents(h).get("locked.md");
                assertThat(lockedEvent.getStatus()).as(String.valueOf(lockedEvent.getError())).isEqualTo(FileStatus.FAILED);
                assertThat(String.valueOf(lockedEvent.getError())).contains("cannot read the file: permission denied");
                assertThat(h.failed.resolve("locked.md")).exists();
                assertThat(h.errorFile("locked.md")).content().contains("permission denied").contains("chmod a+r");
                assertThat(lastEvents(h).get("good.md").getStatus()).isEqualTo(FileStatus.PROCESSED);
                if (root) {
                    assertThat(Files.getOwner(h.errorFile("locked.md")).getName()).as("written by the service user").isEqualTo("nobody");
                }
            } finally {
                service.destroy(); // SIGTERM, as docker stop sends
                assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(service.exitValue()).as("a clean stop on SIGTERM; log:\n" + Files.readString(log)).isZero();
        } finally {
            deleteTree(work);
        }
    }

    private static Map<String, FileEvent> lastEvents(IngestHarness h) {
        Map<String, FileEvent> last = new LinkedHashMap<>();
        h.<FileEvent>readAll(h.filesTopic, FileEvent.class).forEach(r -> last.put(r.value().getFileName(), r.value()));
        return last;
    }

    /** This JVM's classpath, copied where any user can read it. */
    private static String readableClasspath(Path into) throws IOException {
        List<String> entries = new ArrayList<>();
        int i = 0;
        // Surefire and failsafe start the test JVM from a manifest-only jar; the real classpath is in this property.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = into.resolve(i++ + "-" + source.getFileName());
            copyTree(source, target);
            entries.add(target.toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> s = Files.walk(source)) {
            for (Path p : s.toList()) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.createDirectories(t.getParent());
                    Files.copy(p, t);
                }
            }
        }
    }

    private static void openUp(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    private static void chownTree(Path root, String user) throws IOException {
        var owner = root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                Files.setOwner(p, owner);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
