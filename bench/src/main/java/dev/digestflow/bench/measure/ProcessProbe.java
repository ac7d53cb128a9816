package dev.digestflow.bench.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time and peak resident memory of one OS process, read from the JDK's {@link ProcessHandle}
 * and Linux's {@code /proc/<pid>/status}. The peak ({@code VmHWM}) is reset at the start of each
 * phase through {@code /proc/<pid>/clear_refs}, so that every phase reports its own peak rather
 * than the process's lifetime high.
 */
public final class ProcessProbe {

    private final String name;
    private final long pid;
    private boolean peakResettable = true;

    public ProcessProbe(String name, long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid of " + name + " must be positive, got " + pid);
        }
        this.name = name;
        this.pid = pid;
    }

    public static ProcessProbe self(String name) {
        return new ProcessProbe(name, ProcessHandle.current().pid());
    }

    public String name() {
        return name;
    }

    public long pid() {
        return pid;
    }

    /** User plus system CPU time so far, or -1 when the OS does not say. */
    public long cpuNanos() {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L);
    }

    /** Peak resident set since start or the last {@link #resetPeak()}, in bytes; -1 when unknown. */
    public long peakRssBytes() {
        return statusKb("VmHWM:") * 1024;
    }

    public long rssBytes() {
        return statusKb("VmRSS:") * 1024;
    }

    /** Whether the peak covers only the current phase (false: the process's lifetime peak). */
    public boolean peakIsPerPhase() {
        return peakResettable;
    }

    /** Starts a new peak window: "5" to clear_refs resets VmHWM to the current RSS (Linux 4.0+). */
    public void resetPeak() {
        try {
            Files.writeString(Path.of("/proc", Long.toString(pid), "clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException e) {
            peakResettable = false;
        }
    }

    private long statusKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
