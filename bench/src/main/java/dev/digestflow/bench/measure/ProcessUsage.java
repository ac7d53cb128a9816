package dev.digestflow.bench.measure;

/**
 * What one process spent during one phase.
 *
 * @param cpuSecondsPerItem CPU seconds divided by the phase's items (the phase's unit of work)
 * @param peakRssMb peak resident memory in MiB during the phase (or over the process's life when
 *        {@code peakPerPhase} is false)
 */
public record ProcessUsage(String process, long pid, double cpuSeconds, double cpuSecondsPerItem, double peakRssMb, boolean peakPerPhase) {
}
