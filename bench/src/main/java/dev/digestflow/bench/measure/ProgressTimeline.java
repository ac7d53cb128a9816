package dev.digestflow.bench.measure;

import java.util.ArrayList;
import java.util.List;

/**
 * How a run's count (documents searchable) grew over its clock, from the polls that waited for it:
 * the rate in each fifth of the run tells a pipeline that ramps up (slow first fifths) from one
 * that runs level, which a single items/s figure cannot.
 */
public final class ProgressTimeline {

    private final List<double[]> points = new ArrayList<>(); // {seconds since start, count}

    /** A poll's answer: {@code count} at {@code seconds} after the start. */
    public void add(double seconds, long count) {
        points.add(new double[] {seconds, count});
    }

    /**
     * Count per second in each of {@code parts} equal slices of {@code totalSeconds}; the count at a
     * slice's end is the last poll's at or before it (0 before the first poll).
     */
    public List<Long> ratesBySlice(double totalSeconds, int parts) {
        List<Long> rates = new ArrayList<>(parts);
        double slice = totalSeconds / parts;
        double previous = 0;
        for (int k = 1; k <= parts; k++) {
            double at = k == parts ? Double.POSITIVE_INFINITY : slice * k;
            double count = 0;
            for (double[] p : points) {
                if (p[0] <= at) {
                    count = p[1];
                }
            }
            rates.add(Math.round((count - previous) / slice));
            previous = count;
        }
        return rates;
    }
}
