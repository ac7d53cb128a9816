package dev.digestflow.ingest.parse.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

import dev.digestflow.ingest.parse.DigestParseException;
import dev.digestflow.ingest.parse.TextDecoder;
import dev.digestflow.ingest.parse.Fixtures;
import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParserRegistry;

/** RSS/Atom (Rome), JSON Feed and JSON Lines (Jackson), Markdown (commonmark): good, odd and malformed fixtures. */
class StructuredFormatsTest {

    private final ParserRegistry registry = ParserRegistry.defaults();

    @Test
    void rss2() throws Exception {
        ParseResult r = registry.parse(Fixtures.text("fixtures/rss2-basic.xml"));
        assertThat(r.format()).isEqualTo("rss");
        assertThat(r.items()).hasSize(2);
        assertThat(r.items().get(0)).satisfies(i -> {
            assertThat(i.title()).isEqualTo("Constitutional Classifiers Against Universal Jailbreaks");
            assertThat(i.summary()).isEqualTo("Classifiers trained on synthetic data block jailbreaks.");
            assertThat(i.url()).isEqualTo("https://example.org/p/1");
            assertThat(i.authors()).containsExactly("Mrinank Sharma");
            assertThat(i.published()).isEqualTo(LocalDate.of(2025, 2, 3));
            assertThat(i.collection()).isEqualTo("Alignment Weekly");
            assertThat(i.line()).isEqualTo(7);
        });
        assertThat(r.items().get(1).published()).isEqualTo(LocalDate.of(2025, 2, 4));
        assertThat(r.warnings()).singleElement().asString().contains("entry 3 has no title");
    }

    @Test
    void atom() throws Exception {
        ParseResult r = registry.parse(Fixtures.text("fixtures/atom-basic.xml"));
        assertThat(r.format()).isEqualTo("atom");
        assertThat(r.items()).hasSize(2);
        assertThat(r.items().get(0).authors()).containsExactly("Ada Lovelace", "Grace Hopper");
        assertThat(r.items().get(0).published()).isEqualTo(LocalDate.of(2025, 5, 30));
        assertThat(r.items().get(1).title()).isEqualTo("Sim-to-Real Transfer Revisited");
        assertThat(r.items().get(1).summary()).isEqualTo("Domain randomization still matters.");
        assertThat(r.items().get(1).published()).as("updated when not published").isEqualTo(LocalDate.of(2025, 5, 29));
    }

    /** What Rome's XML healer is for: read first without it, then with it when the feed is not well-formed XML. */
    @Test
    void aFeedWithHtmlEntitiesOrTextBeforeTheDeclarationIsStillRead() throws Exception {
        String rss = "\n\n  <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Caf&eacute; Notes</title>"
                + "<item><title>Fine-Tuning&nbsp;at Scale &mdash; Lessons</title><description>Cheaper&nbsp;runs.</description></item>"
                + "</channel></rss>";
        ParseResult r = registry.parse(TextDecoder.decode("healed.xml", Fixtures.FILE_TIME, rss.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(r.format()).isEqualTo("rss");
        assertThat(r.items()).singleElement().satisfies(i -> {
            assertThat(i.title()).isEqualTo("Fine-Tuning\u00a0at Scale \u2014 Lessons");
            assertThat(i.summary()).isEqualTo("Cheaper\u00a0runs.");
            assertThat(i.collection()).isEqualTo("Caf\u00e9 Notes");
        });
    }

    /** Rome throws a NullPointerException on this; the user would have read "a digestflow defect" instead of what is wrong. */
    @Test
    void rssWithoutAChannelIsAnErrorThatSaysSo() {
        String rss = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n<item><title>Outside any channel</title></item>\n</rss>\n";
        assertThatThrownBy(() -> registry.parse(TextDecoder.decode("no-channel.xml", Fixtures.FILE_TIME, rss.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .isInstanceOfSatisfying(DigestParseException.class, e -> assertThat(e.line()).isEqualTo(4))
                .hasMessageContaining("without a <channel>");
    }

    @Test
    void truncatedRssIsAnError() {
        assertThatThrownBy(() -> registry.parse(Fixtures.text("fixtures/rss-truncated.xml")))
                .isInstanceOfSatisfying(DigestParseException.class, e -> assertThat(e.format()).isEqualTo("rss"))
                .hasMessageContaining("not a readable RSS feed");
    }

    @Test
    void externalEntitiesAndEntityBombsAreRefusedNotExpanded() {
        assertThatThrownBy(() -> registry.parse(Fixtures.text("fixtures/xxe.xml")))
                .isInstanceOf(DigestParseException.class).hasMessageNotContaining("root:");
        assertThatThrownBy(() -> registry.parse(Fixtures.text("fixtures/billion-laughs.xml")))
                .isInstanceOf(DigestParseException.class).hasMessageNotContaining("lollol");
    }

    @Test
    void jsonFeed() throws Exception {
        ParseResult r = registry.parse(Fixtures.text("fixtures/feed.json"));
        assertThat(r.format()).isEqualTo("json-feed");
        assertThat(r.items()).hasSize(2);
        assertThat(r.items().get(0)).satisfies(i -> {
            assertThat(i.title()).isEqualTo("Quantization-Aware Training at 2 Bits");
            assertThat(i.url()).isEqualTo("https://example.org/quant");
            assertThat(i.authors()).containsExactly("Tim Dettmers");
            assertThat(i.published()).isEqualTo(LocalDate.of(2025, 7, 1));
            assertThat(i.collection()).isEqualTo("Efficiency Notes");
            assertThat(i.line()).isEqualTo(6);
        });
        assertThat(r.items().get(1).summary()).isEqualTo("Self-speculation uses early exits.");
        assertThat(r.warnings()).singleElement().asString().contains("without a title");
    }

    @Test
    void malformedJsonFeedNamesTheLine() {
        assertThatThrownBy(() -> registry.parse(Fixtures.text("fixtures/feed-malformed.json")))
                .isInstanceOfSatisfying(DigestParseException.class, e -> assertThat(e.line()).isEqualTo(6))
                .hasMessageContaining("invalid JSON");
        assertThatThrownBy(() -> registry.parse(Fixtures.text("fixtures/feed-no-items.json")))
                .hasMessageContaining("no 'items'");
    }

    @Test
    void deeplyNestedJsonIsRefusedByJacksonLimits() {
        String deep = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"items\":[{\"title\":\"x\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}]}";
        assertThatThrownBy(() -> registry.parse(dev.digestflow.ingest.parse.DigestText.of("deep.json", Fixtures.FILE_TIME, deep)))
                .isInstanceOf(DigestParseException.class).hasMessageContaining("nesting depth");
    }

    @Test
    void jsonLines() throws Exception {
        ParseResult r = registry.parse(Fixtures.text("fixtures/items.jsonl"));
        assertThat(r.format()).isEqualTo("json-lines");
        assertThat(r.items()).extracting(i -> i.line()).containsExactly(1, 3, 4);
        assertThat(r.items().get(1).authors()).containsExactly("A", "B");
        assertThat(r.items().get(2).published()).isNull();
        assertThat(r.items().get(2).publishedText()).isEqualTo("March 3rd");
        assertThat(r.warnings()).singleElement().asString().contains("line 4").contains("March 3rd");
    }

    @Test
    void truncatedOrNonObjectJsonLinesRejectTheFileWithTheLine() {
        assertThatThrownBy(() -> registry.parse(Fixtures.text("fixtures/items-truncated.jsonl")))
                .isInstanceOfSatisfying(DigestParseException.class, e -> assertThat(e.line()).isEqualTo(2));
        assertThatThrownBy(() -> registry.parse(Fixtures.text("fixtures/items-not-object.jsonl")))
                .isInstanceOfSatisfying(DigestParseException.class, e -> assertThat(e.line()).isEqualTo(2))
                .hasMessageContaining("not an object");
    }

    @Test
    void markdownNewsletter() throws Exception {
        ParseResult r = registry.parse(Fixtures.text("fixtures/newsletter.md"));
        assertThat(r.format()).isEqualTo("markdown");
        assertThat(r.items()).extracting(i -> i.title()).containsExactly("Plans Before Action: Pre-Act for Agents",
                "ReAct Meets Planning", "Tool Learning with Foundation Models", "Agent Benchmarks Are Saturating");
        assertThat(r.items().get(0).summary()).startsWith("Pre-Act generates");
        assertThat(r.items().get(0).line()).isEqualTo(5);
        assertThat(r.items().get(1)).satisfies(i -> {
            assertThat(i.url()).isEqualTo("https://example.org/react-plan");
            assertThat(i.summary()).isEqualTo("combines reasoning traces with explicit plans.");
            assertThat(i.section()).isEqualTo("Papers");
            assertThat(i.collection()).isEqualTo("The Agents Letter — Issue 12");
        });
        assertThat(r.items().get(2).summary()).isEqualTo("a survey of tool use.");
        assertThat(r.items().get(3).section()).isEqualTo("Links");
    }

    @Test
    void markdownListsOnly() throws Exception {
        ParseResult r = registry.parse(Fixtures.text("fixtures/newsletter-lists-only.md"));
        assertThat(r.items()).hasSize(2);
        assertThat(r.items().get(0).summary()).isEqualTo("RLHF without a reward model");
        assertThat(r.items().get(1).summary()).isNull();
    }

    @Test
    void markdownWithoutItemsIsAnError() {
        assertThatThrownBy(() -> registry.parse(Fixtures.text("fixtures/newsletter-no-items.md")))
                .isInstanceOfSatisfying(DigestParseException.class, e -> assertThat(e.format()).isEqualTo("markdown"));
    }
}
