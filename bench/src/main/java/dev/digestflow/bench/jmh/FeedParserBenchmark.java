package dev.digestflow.bench.jmh;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import dev.digestflow.bench.corpus.CorpusFile;
import dev.digestflow.bench.corpus.CorpusGenerator;
import dev.digestflow.ingest.parse.DigestParseException;
import dev.digestflow.ingest.parse.ParserRegistry;
import dev.digestflow.ingest.parse.TextDecoder;

/**
 * RSS and Atom (Rome) as the service reads them: decode, detect, parse, over the feeds of a generated
 * corpus, against a plain UTF-8 decode of the same bytes in the same run. MB/s = ops/s × the bytes
 * printed at setup. The samples in {@link ParserBenchmark} hold no feeds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FeedParserBenchmark {

    @Param({"rss", "atom", "markdown"})
    public String format;

    private List<CorpusFile> feeds;
    private final ParserRegistry registry = ParserRegistry.defaults();
    private final Instant fileTime = Instant.parse("2025-12-09T12:00:00Z");

    @Setup(Level.Trial)
    public void generate() throws Exception {
        feeds = CorpusGenerator.fromClasspath().generate(4000, 0, 7, "feed").files().stream().filter(f -> f.format().equals(format)).toList();
        System.out.println("# " + feeds.size() + " " + format + " files, " + feeds.stream().mapToLong(f -> f.bytes().length).sum() + " bytes per op");
    }

    @Benchmark
    public void decodeDetectParse(Blackhole bh) throws DigestParseException {
        for (CorpusFile f : feeds) {
            bh.consume(registry.parse(TextDecoder.decode(f.name(), fileTime, f.bytes())));
        }
    }

    @Benchmark
    public void baselineUtf8Decode(Blackhole bh) {
        for (CorpusFile f : feeds) {
            bh.consume(new String(f.bytes(), StandardCharsets.UTF_8));
        }
    }
}
