package dev.digestflow.ingest.parse.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.MonthDay;

import org.junit.jupiter.api.Test;

import dev.digestflow.ingest.parse.DigestParseException;
import dev.digestflow.ingest.parse.DigestText;
import dev.digestflow.ingest.parse.Fixtures;
import dev.digestflow.ingest.parse.ParseResult;

/** Behaviours of the three page formats beyond the golden samples: truncation, bad blocks, year inference. */
class PageFormatsTest {

    private static DigestText text(String s) {
        return DigestText.of("t.txt", Fixtures.FILE_TIME, s);
    }

    @Test
    void blogListingWithCrLfAndATruncatedLastPostWarns() throws Exception {
        String page = "Cover image\r\n\r\nFirst Post\r\n\r\nTeaser one ...\r\n\r\nJanuary 2, 2025 · 5 min · Ann\r\nCover image\r\n\r\nSecond Post cut\r\n";
        ParseResult r = new BlogListingParser().parse(text(page));
        assertThat(r.items()).singleElement().satisfies(i -> {
            assertThat(i.title()).isEqualTo("First Post");
            assertThat(i.summary()).isEqualTo("Teaser one");
            assertThat(i.published()).isEqualTo(LocalDate.of(2025, 1, 2));
            assertThat(i.readMinutes()).isEqualTo(5);
            assertThat(i.authors()).containsExactly("Ann");
        });
        assertThat(r.warnings()).singleElement().asString().contains("line 10").contains("Second Post cut");
    }

    @Test
    void blogListingDateLineWithoutTitleIsAnErrorWithItsLine() {
        assertThatThrownBy(() -> new BlogListingParser().parse(text("Cover image\n\nMay 1, 2025 · 3 min · X\n")))
                .isInstanceOfSatisfying(DigestParseException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.format()).isEqualTo("blog-listing");
                });
    }

    @Test
    void dailyPapersMetadataCutShortIsAnErrorWithItsLine() {
        String page = "Daily Papers\n\nDec 8\n\nA Title\n\nAn abstract.\n\n  • 3 authors\nnot the dot\n";
        assertThatThrownBy(() -> new DailyPapersParser().parse(text(page)))
                .isInstanceOfSatisfying(DigestParseException.class, e -> assertThat(e.line()).isEqualTo(10))
                .hasMessageContaining("'·'");
    }

    @Test
    void dailyPapersTruncatedAtTheEndKeepsThePaperAndWarns() throws Exception {
        String page = "Daily Papers\n\nDec 8\n\nA Title\n\nAn abstract.\n\n  • 3 authors\n";
        ParseResult r = new DailyPapersParser().parse(text(page));
        assertThat(r.items()).singleElement().satisfies(i -> assertThat(i.authorCount()).isEqualTo(3));
        assertThat(r.warnings()).singleElement().asString().contains("truncated");
    }

    @Test
    void yearInferenceNeverDatesAPaperAfterItsDigest() {
        LocalDate digest = LocalDate.of(2025, 12, 8);
        assertThat(DailyPapersParser.inferYear(MonthDay.of(10, 29), digest)).isEqualTo(LocalDate.of(2025, 10, 29));
        assertThat(DailyPapersParser.inferYear(MonthDay.of(12, 20), digest)).isEqualTo(LocalDate.of(2024, 12, 20));
        assertThat(DailyPapersParser.inferYear(MonthDay.of(2, 29), LocalDate.of(2025, 3, 1))).isEqualTo(LocalDate.of(2024, 2, 29));
    }

    @Test
    void topicHubWithoutTitleIsAnError() {
        assertThatThrownBy(() -> new TopicHubParser().parse(text("Topic Hub · 1 linked notes · 1 sections\n")))
                .isInstanceOf(DigestParseException.class).hasMessageContaining("no hub title");
    }

    @Test
    void topicHubTruncatedNoteIsKeptWithAWarning() throws Exception {
        String page = "Hub\n\nDescription\n\nTopic Hub · 2 linked notes · 1 sections\nView as\n\nSec\n\n2 notes\n\nQ one?\n\nText one\n\nExplore related Read →\n\nQ two?\n\nText two cut";
        ParseResult r = new TopicHubParser().parse(text(page));
        assertThat(r.items()).hasSize(2);
        assertThat(r.items().get(1).summary()).isEqualTo("Text two cut");
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w.toString()).contains("does not end with"));
    }
}
