package dev.digestflow.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import dev.digestflow.enrich.taxonomy.Tagger;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.ingest.parse.ParsedItem;
import dev.digestflow.ingest.parse.ParserRegistry;
import dev.digestflow.ingest.parse.TextDecoder;

/**
 * Tagging throughput in one thread, over every item of the three sample digests, against the raw
 * floor measured in the same run: Lucene's English analysis of the same titles and summaries (which
 * the tagger must do anyway) with nothing matched, and the tagger without its learned part. Items/s = ops/s × the item count printed at setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TaggerBenchmark {

    private static final String[] SAMPLES = {"000_545bdede27ca3e01.txt", "003_19fcee2af990f575.txt", "004_daa9faf00548796a.txt"};

    private final Tagger tagger = new Tagger(Taxonomy.defaults());
    /** The same rules without the learned part: what the learned part costs, in the same run. */
    private final Tagger lexiconOnly = new Tagger(Taxonomy.defaults().withoutLearnedPart());
    private final Analyzer english = new EnglishAnalyzer();
    private final List<ParsedItem> items = new ArrayList<>();

    @Setup(Level.Trial)
    public void load() throws Exception {
        ParserRegistry parsers = ParserRegistry.defaults();
        for (String sample : SAMPLES) {
            try (InputStream in = TaggerBenchmark.class.getResourceAsStream("/samples/" + sample)) {
                items.addAll(parsers.parse(TextDecoder.decode(sample, Instant.EPOCH, in.readAllBytes())).items());
            }
        }
        System.out.println("# items per op = " + items.size());
    }

    @Benchmark
    public void tag(Blackhole bh) {
        for (ParsedItem item : items) {
            bh.consume(tagger.tag(item.title(), item.summary()));
        }
    }

    @Benchmark
    public void tagWithoutLearnedPart(Blackhole bh) {
        for (ParsedItem item : items) {
            bh.consume(lexiconOnly.tag(item.title(), item.summary()));
        }
    }

    @Benchmark
    public void baselineEnglishAnalysis(Blackhole bh) {
        for (ParsedItem item : items) {
            bh.consume(tokens(item.title()));
            bh.consume(tokens(item.summary()));
        }
    }

    private int tokens(String text) {
        if (text == null) {
            return 0;
        }
        int n = 0;
        try (TokenStream s = english.tokenStream("text", text)) {
            s.reset();
            while (s.incrementToken()) {
                n++;
            }
            s.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return n;
    }
}
