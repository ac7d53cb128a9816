package dev.digestflow.bench.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JDK Flight Recorder recording of this JVM (the three services and the bench driver) over one
 * phase, and its summary: CPU samples per thread group (which service burns the cycles) and the
 * hottest methods, by own time and by the first digestflow frame on the stack.
 */
public final class JfrProfile implements AutoCloseable {

    /** Thread names minus their numbers: "kafka-producer-network-thread | producer-7" groups with its siblings. */
    private static final Pattern NUMBERS = Pattern.compile("[0-9]+|-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");

    private final Recording recording;

    private JfrProfile(Recording recording) {
        this.recording = recording;
    }

    /** Starts a recording with the JDK's "profile" settings (execution samples every 10-20 ms). */
    public static JfrProfile start() throws IOException, ParseException {
        Recording r = new Recording(Configuration.getConfiguration("profile"));
        r.setName("digestflow-bench");
        r.start();
        return new JfrProfile(r);
    }

    /** Stops, writes the recording to {@code file} (open it in JDK Mission Control) and summarizes it. */
    public Summary stopAndSummarize(Path file, int top) throws IOException {
        recording.stop();
        recording.dump(file);
        return summarize(file, top);
    }

    public record Hot(String name, long samples, double share) {
    }

    public record Summary(String file, long samples, List<Hot> byThreadGroup, List<Hot> bySelfMethod, List<Hot> byDigestflowFrame) {
    }

    public static Summary summarize(Path file, int top) throws IOException {
        Map<String, Long> threads = new HashMap<>();
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> ours = new HashMap<>();
        long samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            samples++;
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            threads.merge(NUMBERS.matcher(String.valueOf(thread)).replaceAll("N"), 1L, Long::sum);
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            self.merge(frameName(stack.getFrames().get(0)), 1L, Long::sum);
            for (RecordedFrame f : stack.getFrames()) {
                if (f.isJavaFrame() && f.getMethod().getType().getName().startsWith("dev.digestflow.")) {
                    ours.merge(frameName(f), 1L, Long::sum);
                    break;
                }
            }
        }
        return new Summary(file.toString(), samples, top(threads, samples, top), top(self, samples, top), top(ours, samples, top));
    }

    private static String frameName(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static List<Hot> top(Map<String, Long> counts, long total, int n) {
        Map<String, Long> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).limit(n)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted.entrySet().stream().map(e -> new Hot(e.getKey(), e.getValue(), total == 0 ? 0 : (double) e.getValue() / total)).toList();
    }

    @Override
    public void close() {
        recording.close();
    }
}
