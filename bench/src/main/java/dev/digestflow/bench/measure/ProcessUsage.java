package dev.digestflow.bench.measure;

/**
 * What one process spent during one phase.
 *
 * @param cpuSecondsPerItem CPU seconds divided by the phase's items (the phase's unit of work)
 * @param peakRssMb peak resident memory in MiB during the phase (or over the process's life when
 *        {@code peakPerPhase} is false)
 */
public record ProcessUsage(String process, long pid, double cpuSeconds, double cpuSecondsPerItem, double peakRssMb, boolean peakPerPhase) {

    /** CPU milliseconds per item, summed over the processes. */
    public static double totalCpuMsPerItem(java.util.List<ProcessUsage> usage) {
        return usage.stream().mapToDouble(ProcessUsage::cpuSecondsPerItem).sum() * 1000;
    }

    /** Peak RSS in MiB, summed over the processes. */
    public static double totalPeakRssMb(java.util.List<ProcessUsage> usage) {
        return usage.stream().mapToDouble(ProcessUsage::peakRssMb).sum();
    }
}
