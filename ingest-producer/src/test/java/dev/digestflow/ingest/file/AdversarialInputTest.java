package dev.digestflow.ingest.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.digestflow.ingest.parse.format.MarkdownNewsletterParser;

/**
 * Generated hostile input for every format: a prefix that makes the format's sniffer pick it, then a
 * megabyte of one of the characters the parsers look for (brackets, quotes, separators, markers,
 * digits, entities). Every file must end in processed/ or failed/ with the pipeline unharmed. The 20 s
 * bound is a hang guard, not a performance threshold: a linear parser takes milliseconds, a quadratic
 * scan or a per-repetition regex recursion takes hours or overflows the stack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdversarialInputTest {

    private static final int MB = 1 << 20;
    private static final List<String> RUNS = List.of("[", "]", "(", ")", "[](", "<", "&lt;", ":", "-", "—", "|", "·", "•", "#", "*", "`", "\"",
            "{", "\\", "9", " ", "\n", "- ", "> ", "<a ", "·\n");

    private PipelineFixture fixture;

    /** One case: the format it aims at, what the run is, the bytes. */
    record Case(String format, String run, String prefix, String suffix) {
        byte[] bytes() {
            StringBuilder sb = new StringBuilder(MB + prefix.length() + suffix.length()).append(prefix);
            while (sb.length() < MB + prefix.length()) {
                sb.append(run);
            }
            return sb.append(suffix).toString().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return format + " + 1 MB of '" + run.replace("\n", "\\n").replace("\t", "\\t") + "'";
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String run : RUNS) {
            String xml = run.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
            String json = run.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t");
            cases.add(new Case("markdown list entry", run, "# Issue\n\n- [t](http://u) ", "\n"));
            cases.add(new Case("markdown heading", run, "# Issue\n\n## ", "\n\nText.\n"));
            cases.add(new Case("markdown bare", run, "- ", "\n"));
            cases.add(new Case("blog listing", run, "A Title\nA teaser ", "\nJanuary 3, 2025 · 4 min · Ann\n"));
            cases.add(new Case("blog meta line", run, "A Title\nA teaser\nJanuary 3, 2025 · ", " min\n"));
            cases.add(new Case("daily papers", run, "Daily Papers\nOct 29\nA Title\nAn abstract ", "\n• 3 authors\n·\nOct 29\n"));
            cases.add(new Case("topic hub", run, "Hub\nAbout.\nTopic Hub · 1 linked notes · 1 sections\nSection\n1 notes\nA note?\n", "\nExplore related Read →\n"));
            cases.add(new Case("rss", xml, "<rss version=\"2.0\"><channel><title>t</title><item><title>A</title><description>", "</description></item></channel></rss>\n"));
            cases.add(new Case("atom", xml, "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title><entry><title>", "</title></entry></feed>\n"));
            cases.add(new Case("json feed", json, "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"t\",\"items\":[{\"title\":\"", "\"}]}\n"));
            cases.add(new Case("json lines", json, "{\"title\": \"", "\"}\n"));
        }
        return cases.stream();
    }

    @BeforeAll
    void start(@TempDir Path home) throws Exception {
        fixture = new PipelineFixture(home, Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        fixture.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void endsInProcessedOrFailedWithoutHangingOrDying(Case c) throws Exception {
        String name = "case-" + Integer.toHexString(c.toString().hashCode()) + ".txt";
        Path claimed = fixture.claim(name, c.bytes());
        FileOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> fixture.pipeline.process(claimed, name, Instant.now()), c::toString);
        assertThat(outcome).as(c.toString()).isInstanceOfAny(FileOutcome.Processed.class, FileOutcome.Failed.class);
        assertThat(claimed).as("nothing left claimed").doesNotExist();
    }

    /** The two inputs the issue reproduced by hand, at the parser, before the generated set. */
    @Test
    void theReproducedMarkdownInputsParse() throws Exception {
        String colons = "- [t](http://u) " + ":".repeat(200_000) + "\n";
        Path a = fixture.claim("colons.md", colons.getBytes(StandardCharsets.UTF_8));
        assertThat(assertTimeoutPreemptively(Duration.ofSeconds(20), () -> fixture.pipeline.process(a, "colons.md", Instant.now())))
                .isInstanceOf(FileOutcome.Processed.class);
        assertThat(MarkdownNewsletterParser.hasInlineLink("- " + "[".repeat(20_000))).isFalse();
        assertThat(MarkdownNewsletterParser.hasInlineLink("- [t](u)")).isTrue();
        assertThat(MarkdownNewsletterParser.hasInlineLink("- [](u)")).isFalse();
        assertThat(MarkdownNewsletterParser.hasInlineLink("- [t]()")).isFalse();
        assertThat(MarkdownNewsletterParser.hasInlineLink("- [a]b [c](d)")).isTrue();
        assertThat(MarkdownNewsletterParser.hasInlineLink("- [a] (d)")).isFalse();
    }
}
