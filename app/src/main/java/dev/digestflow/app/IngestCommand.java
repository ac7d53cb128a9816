package dev.digestflow.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;

import dev.digestflow.app.FileProgress.FileReport;
import dev.digestflow.schema.FileStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./digestflow ingest FILE...}: drops files into a running instance's inbox and waits until
 * their items are searchable or the files are rejected. Exit 0: all indexed (or already processed);
 * 1: a file failed or did not finish in time; 2: bad usage or no running instance.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, description = "Drop files into a running instance and wait until they are indexed.")
final class IngestCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Digest files to ingest.")
    List<Path> files;

    @Mixin
    InstanceHome home;

    @Option(names = "--timeout", defaultValue = "PT3M", description = "How long to wait, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        Path root = home.path();
        var found = home.endpoints();
        if (found.isEmpty()) {
            return 2;
        }
        Endpoints endpoints = found.get();
        Map<String, Integer> expected = new HashMap<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                System.err.println("not a readable file: " + f);
                return 2;
            }
            expected.merge(sha256(f), 1, Integer::sum);
        }
        Map<String, List<FileReport>> reports = new ConcurrentHashMap<>();
        try (FileProgress progress = new FileProgress(endpoints, PipelineNames.defaults(), false, r -> {
            if (expected.containsKey(r.sha256())) {
                reports.computeIfAbsent(r.sha256(), k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(r);
                System.out.println(r.line());
            }
        }).start()) {
            Path inbox = root.resolve("inbox");
            for (Path f : files) {
                drop(f, inbox);
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done(expected, reports) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
        if (!done(expected, reports)) {
            System.err.println("timed out after " + timeout.toSeconds() + " s; see ./digestflow status and " + root.resolve("data/logs"));
            return 1;
        }
        boolean ok = reports.values().stream().flatMap(List::stream)
                .allMatch(r -> r.status() == FileStatus.SKIPPED || (r.status() == FileStatus.PROCESSED && r.complete()));
        return ok ? 0 : 1;
    }

    private static boolean done(Map<String, Integer> expected, Map<String, List<FileReport>> reports) {
        return expected.entrySet().stream().allMatch(e -> reports.getOrDefault(e.getKey(), List.of()).size() >= e.getValue());
    }

    /** Copy under a hidden name (the watcher ignores it), then an atomic rename, so no half file is ever seen. */
    static Path drop(Path file, Path inbox) throws IOException {
        String name = file.getFileName().toString();
        Path hidden = inbox.resolve("." + name + ".digestflow-copy");
        Files.copy(file, hidden, StandardCopyOption.REPLACE_EXISTING);
        Path target = inbox.resolve(name);
        for (int n = 2; Files.exists(target); n++) {
            target = inbox.resolve(n + "-" + name);
        }
        return Files.move(hidden, target, StandardCopyOption.ATOMIC_MOVE);
    }

    static String sha256(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
