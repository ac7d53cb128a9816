package dev.digestflow.enrich.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParsedItem;
import dev.digestflow.ingest.parse.ParserRegistry;
import dev.digestflow.ingest.parse.TextDecoder;
import dev.digestflow.schema.TagExplanation;

/**
 * The default taxonomy against hand-checked labels for every item of the three sample digests
 * (src/test/resources/golden-tags.json): a second check, on long abstracts and blog teasers. The
 * taxonomy is no longer fitted to these samples (its tuning set is the development set's tuning half,
 * see TaggingDevSetTest), so the floor sits a little under what it measures here (precision 0.79,
 * recall 0.78): a regression fails, and nothing here was tuned to pass.
 */
class GoldenTagSetTest {

    static final double MIN_PRECISION = 0.75;
    static final double MIN_RECALL = 0.75;

    @Test
    void defaultTaxonomyMeetsPrecisionAndRecallOnTheSamples() throws Exception {
        JsonNode golden;
        try (InputStream in = GoldenTagSetTest.class.getResourceAsStream("/golden-tags.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        Map<String, ParsedItem> items = new HashMap<>();
        for (String sample : List.of("000_545bdede27ca3e01.txt", "003_19fcee2af990f575.txt", "004_daa9faf00548796a.txt")) {
            byte[] bytes;
            try (InputStream in = GoldenTagSetTest.class.getResourceAsStream("/samples/" + sample)) {
                bytes = in.readAllBytes();
            }
            ParseResult r = ParserRegistry.defaults().parse(TextDecoder.decode(sample, Instant.parse("2025-12-09T12:00:00Z"), bytes));
            r.items().forEach(i -> items.put(sample + ":" + i.line(), i));
        }
        Tagger tagger = new Tagger(Taxonomy.defaults());
        Map<String, int[]> perTag = new TreeMap<>(); // tp, fp, fn
        List<String> misses = new ArrayList<>();
        assertThat(golden.get("items")).hasSize(89);
        for (JsonNode g : golden.get("items")) {
            ParsedItem item = items.get(g.get("file").asText() + ":" + g.get("line").asInt());
            assertThat(item).as("golden item %s", g).isNotNull();
            assertThat(item.title()).isEqualTo(g.get("title").asText());
            Set<String> expected = new HashSet<>();
            g.get("tags").forEach(t -> expected.add(t.asText()));
            Set<String> actual = new HashSet<>();
            for (TagExplanation e : tagger.tag(item.title(), item.summary())) {
                actual.add(e.getTag());
            }
            for (String t : actual) {
                perTag.computeIfAbsent(t, k -> new int[3])[expected.contains(t) ? 0 : 1]++;
            }
            for (String t : expected) {
                if (!actual.contains(t)) {
                    perTag.computeIfAbsent(t, k -> new int[3])[2]++;
                }
            }
            if (!expected.equals(actual)) {
                List<String> wrong = new ArrayList<>();
                for (TagExplanation e : tagger.tag(item.title(), item.summary())) {
                    if (!expected.contains(e.getTag())) {
                        wrong.add(e.getTag() + "=" + e.getScore() + e.getMatchedTerms());
                    }
                }
                misses.add(String.format("%-60.60s missing %s; extra %s", item.title(),
                        expected.stream().filter(t -> !actual.contains(t)).toList(), wrong));
            }
        }
        int tp = 0;
        int fp = 0;
        int fn = 0;
        StringBuilder report = new StringBuilder(String.format("%-26s %5s %5s %5s %9s %7s%n", "tag", "tp", "fp", "fn", "precision", "recall"));
        for (Map.Entry<String, int[]> e : perTag.entrySet()) {
            int[] c = e.getValue();
            tp += c[0];
            fp += c[1];
            fn += c[2];
            report.append(String.format(Locale.ROOT, "%-26s %5d %5d %5d %9.2f %7.2f%n", e.getKey(), c[0], c[1], c[2], ratio(c[0], c[0] + c[1]), ratio(c[0], c[0] + c[2])));
        }
        double precision = ratio(tp, tp + fp);
        double recall = ratio(tp, tp + fn);
        report.append(String.format(Locale.ROOT, "%-26s %5d %5d %5d %9.3f %7.3f%n", "OVERALL (micro)", tp, fp, fn, precision, recall));
        System.out.println(report);
        misses.forEach(m -> System.out.println("  differs: " + m));
        assertThat(precision).as("overall precision\n" + report).isGreaterThanOrEqualTo(MIN_PRECISION);
        assertThat(recall).as("overall recall\n" + report).isGreaterThanOrEqualTo(MIN_RECALL);
    }

    private static double ratio(int a, int b) {
        return b == 0 ? 1.0 : (double) a / b;
    }
}
