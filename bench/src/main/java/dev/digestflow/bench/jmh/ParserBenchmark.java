package dev.digestflow.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
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

import dev.digestflow.ingest.parse.DigestParseException;
import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParserRegistry;
import dev.digestflow.ingest.parse.TextDecoder;

/**
 * Parse throughput per sample, in one thread: decode (UTF-8 validation) plus detect plus parse, which
 * is what the service does per file. {@code baseline} is the raw floor measured in the same run: a
 * plain UTF-8 decode of the same bytes. MB/s = ops/s × the sample's size (printed at setup).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParserBenchmark {

    @Param({"000_545bdede27ca3e01.txt", "003_19fcee2af990f575.txt", "004_daa9faf00548796a.txt"})
    public String sample;

    private byte[] bytes;
    private final ParserRegistry registry = ParserRegistry.defaults();
    private final Instant fileTime = Instant.parse("2025-12-09T12:00:00Z");

    @Setup(Level.Trial)
    public void load() throws IOException {
        try (InputStream in = ParserBenchmark.class.getResourceAsStream("/samples/" + sample)) {
            bytes = in.readAllBytes();
        }
        System.out.println("# sample " + sample + " = " + bytes.length + " bytes");
    }

    @Benchmark
    public ParseResult decodeDetectParse() throws DigestParseException {
        return registry.parse(TextDecoder.decode(sample, fileTime, bytes));
    }

    @Benchmark
    public void baselineUtf8Decode(Blackhole bh) {
        bh.consume(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }
}
