package dev.digestflow.bench.measure;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.digestflow.bench.corpus.Corpus;
import dev.digestflow.bench.corpus.CorpusFile;
import dev.digestflow.ingest.parse.DigestParseException;
import dev.digestflow.ingest.parse.ParserRegistry;
import dev.digestflow.ingest.parse.TextDecoder;

/**
 * A quick in-run check of parser speed over the generated corpus, one thread, per format: what the
 * service does per file (strict decode, detect, parse) against a plain UTF-8 decode of the same
 * bytes. Best of several passes after a warm-up. The JMH benchmarks are the careful measurement;
 * this one keeps the figure in the same report as the pipeline's.
 */
public final class ParserThroughput {

    private static final int PASSES = 5;

    private ParserThroughput() {
    }

    public record FormatSpeed(String format, int files, long bytes, double mbPerSecond, double rawDecodeMbPerSecond) {
        public double ratio() {
            return mbPerSecond / rawDecodeMbPerSecond;
        }
    }

    public static List<FormatSpeed> measure(Corpus corpus) throws DigestParseException {
        Map<String, List<CorpusFile>> byFormat = new TreeMap<>();
        corpus.files().forEach(f -> byFormat.computeIfAbsent(f.format(), k -> new java.util.ArrayList<>()).add(f));
        ParserRegistry parsers = ParserRegistry.defaults();
        Instant fileTime = Instant.now();
        List<FormatSpeed> out = new java.util.ArrayList<>();
        for (var e : byFormat.entrySet()) {
            List<CorpusFile> files = e.getValue();
            long bytes = files.stream().mapToLong(f -> f.bytes().length).sum();
            long bestParse = Long.MAX_VALUE;
            long bestDecode = Long.MAX_VALUE;
            long sink = 0;
            for (int pass = 0; pass <= PASSES; pass++) { // pass 0 warms up
                long t0 = System.nanoTime();
                for (CorpusFile f : files) {
                    sink += parsers.parse(TextDecoder.decode(f.name(), fileTime, f.bytes())).items().size();
                }
                long t1 = System.nanoTime();
                for (CorpusFile f : files) {
                    sink += new String(f.bytes(), StandardCharsets.UTF_8).length();
                }
                long t2 = System.nanoTime();
                if (pass > 0) {
                    bestParse = Math.min(bestParse, t1 - t0);
                    bestDecode = Math.min(bestDecode, t2 - t1);
                }
            }
            if (sink == 42) {
                System.out.print(""); // keeps the JIT from dropping the work
            }
            out.add(new FormatSpeed(e.getKey(), files.size(), bytes, mb(bytes, bestParse), mb(bytes, bestDecode)));
        }
        return out;
    }

    private static double mb(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }
}
