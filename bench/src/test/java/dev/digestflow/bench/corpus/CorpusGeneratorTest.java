package dev.digestflow.bench.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParserRegistry;
import dev.digestflow.ingest.parse.TextDecoder;
import dev.digestflow.schema.id.ItemIds;

class CorpusGeneratorTest {

    private static CorpusGenerator generator;

    @BeforeAll
    static void samples() throws Exception {
        generator = CorpusGenerator.fromClasspath();
    }

    @Test
    void everySampleIsAPageTemplate() {
        assertThat(generator.pageTemplates()).hasSize(3).anySatisfy(t -> assertThat(t).contains("blog-listing"))
                .anySatisfy(t -> assertThat(t).contains("daily-papers")).anySatisfy(t -> assertThat(t).contains("topic-hub"));
    }

    @Test
    void coversEveryFormatAndCountsWhatAnIndependentParseFinds() throws Exception {
        Corpus corpus = generator.generate(2_000, 0.10, 7, "t");
        assertThat(corpus.filesByFormat().keySet()).containsExactlyInAnyOrder("blog-listing", "daily-papers", "topic-hub", "rss", "atom", "json-feed",
                "json-lines", "markdown");
        // Count again, from the bytes, without the generator's bookkeeping.
        ParserRegistry parsers = ParserRegistry.defaults();
        long items = 0;
        Set<String> ids = new HashSet<>();
        for (CorpusFile f : corpus.files()) {
            ParseResult r = parsers.parse(TextDecoder.decode(f.name(), Instant.now(), f.bytes()));
            items += r.items().size();
            r.items().forEach(i -> ids.add(ItemIds.of(i.title())));
        }
        assertThat(items).isEqualTo(corpus.items());
        assertThat((long) ids.size()).isEqualTo(corpus.uniqueItems());
        assertThat(corpus.items()).isBetween(2_000L, 2_100L);
    }

    @Test
    void duplicatesAreTheRequestedShareAndAlwaysAcrossFiles() {
        Corpus corpus = generator.generate(3_000, 0.10, 11, "t");
        double share = (double) (corpus.items() - corpus.uniqueItems()) / corpus.items();
        assertThat(share).isBetween(0.095, 0.105);
        for (CorpusFile f : corpus.files()) {
            assertThat(new HashSet<>(f.titles())).as("titles within %s", f.name()).hasSize(f.items());
        }
        assertThat(generator.generate(500, 0.0, 11, "t").uniqueItems()).isEqualTo(generator.generate(500, 0.0, 11, "t").items());
    }

    @Test
    void isDeterministicForASeed() {
        List<String> a = generator.generate(600, 0.1, 3, "t").files().stream().flatMap(f -> f.titles().stream()).toList();
        List<String> b = generator.generate(600, 0.1, 3, "t").files().stream().flatMap(f -> f.titles().stream()).toList();
        List<String> c = generator.generate(600, 0.1, 4, "t").files().stream().flatMap(f -> f.titles().stream()).toList();
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void writesFilesThatAreAlreadyQuiet(@TempDir Path dir) throws Exception {
        Corpus corpus = generator.generate(100, 0.1, 1, "t");
        corpus.writeTo(dir);
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).hasSize(corpus.files().size())
                    .allSatisfy(p -> assertThat(Files.getLastModifiedTime(p).toInstant()).isBefore(Instant.now().minusSeconds(30)));
        }
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> generator.generate(0, 0.1, 1, "t")).hasMessageContaining("items");
        assertThatThrownBy(() -> generator.generate(10, 1.0, 1, "t")).hasMessageContaining("duplicate share");
    }
}
