package dev.digestflow.bench.measure;

import java.util.ArrayList;
import java.util.List;

/** CPU and peak memory of a set of processes over one phase: open, do the work, {@link #close}. */
public final class UsageWindow {

    private final List<ProcessProbe> probes;
    private final long[] cpuAtStart;
    private final long startNanos;

    private UsageWindow(List<ProcessProbe> probes) {
        this.probes = List.copyOf(probes);
        this.cpuAtStart = new long[probes.size()];
        for (int i = 0; i < probes.size(); i++) {
            probes.get(i).resetPeak();
            cpuAtStart[i] = probes.get(i).cpuNanos();
        }
        this.startNanos = System.nanoTime();
    }

    public static UsageWindow open(List<ProcessProbe> probes) {
        return new UsageWindow(probes);
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Usage per process; {@code items} is the phase's work, for CPU-seconds per item. */
    public List<ProcessUsage> close(long items) {
        List<ProcessUsage> out = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            ProcessProbe p = probes.get(i);
            long cpu = p.cpuNanos();
            double seconds = cpu < 0 || cpuAtStart[i] < 0 ? Double.NaN : (cpu - cpuAtStart[i]) / 1e9;
            long peak = p.peakRssBytes();
            out.add(new ProcessUsage(p.name(), p.pid(), seconds, items > 0 ? seconds / items : Double.NaN, peak < 0 ? Double.NaN : peak / (1024.0 * 1024.0),
                    p.peakIsPerPhase()));
        }
        return out;
    }
}
