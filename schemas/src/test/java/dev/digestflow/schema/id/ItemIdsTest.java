package dev.digestflow.schema.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ItemIdsTest {

    @Test
    void nonBreakingHyphenAndAsciiHyphenGiveOneId() {
        assertThat(ItemIds.of("Fine\u2011Tuning LLMs with RL")).isEqualTo(ItemIds.of("Fine-Tuning LLMs with RL"));
        assertThat(ItemIds.of("Fine\u2013Tuning LLMs with RL")).isEqualTo(ItemIds.of("Fine-Tuning LLMs with RL"));
    }

    @Test
    void curlyAndStraightQuotesGiveOneId() {
        assertThat(ItemIds.of("\u201CAttention\u201D isn\u2019t all you need")).isEqualTo(ItemIds.of("\"Attention\" isn't all you need"));
    }

    @Test
    void caseDoesNotMatter() {
        assertThat(ItemIds.of("SCALING Laws For Agents")).isEqualTo(ItemIds.of("scaling laws for agents"));
        assertThat(ItemIds.of("STRASSE")).isEqualTo(ItemIds.of("Stra\u00DFe"));
    }

    @Test
    void whitespaceIsCollapsedAndTrimmed() {
        assertThat(ItemIds.of("  Scaling \t laws\n for\u00A0agents ")).isEqualTo(ItemIds.of("Scaling laws for agents"));
    }

    @Test
    void byteOrderMarkIsIgnored() {
        assertThat(ItemIds.of("\uFEFFScaling laws for agents")).isEqualTo(ItemIds.of("Scaling laws for agents"));
    }

    @Test
    void compatibilityFormsAreUnifiedByNfkc() {
        assertThat(ItemIds.of("\uFF21\uFF29 agents")).as("full-width letters").isEqualTo(ItemIds.of("AI agents"));
        assertThat(ItemIds.of("e\u0301tude")).as("combining accent").isEqualTo(ItemIds.of("\u00E9tude"));
    }

    @Test
    void differentTitlesGiveDifferentIds() {
        assertThat(ItemIds.of("Scaling laws for agents")).isNotEqualTo(ItemIds.of("Scaling laws for robots"));
    }

    @Test
    void idIsAFixedLengthLowerHexPrefixOfSha256() {
        assertThat(ItemIds.of("Scaling laws for agents")).hasSize(ItemIds.ID_HEX_LENGTH).matches("[0-9a-f]+");
        // sha256("scaling laws for agents"), first 32 hex chars, computed independently:
        // echo -n "scaling laws for agents" | sha256sum | cut -c1-32
        assertThat(ItemIds.of("Scaling laws for agents")).isEqualTo("d4a17b21ace0bbcba9bb485108cd9c4b");
    }

    @Test
    void aTitleWithNoLettersOrDigitsHasNoIdentity() {
        assertThatThrownBy(() -> ItemIds.of(" \u2014 \uFEFF ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no letters or digits");
        assertThatThrownBy(() -> ItemIds.of(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void normalizedTitleShowsWhatTheIdIsComputedFrom() {
        assertThat(ItemIds.normalizeTitle("\uFEFF  \u201CFine\u2011Tuning\u201D:  A Survey! ")).isEqualTo("finetuning a survey");
    }

    /** The ASCII fast path against the Unicode path it skips, on generated ASCII titles: every character, runs of each kind. */
    @Test
    void asciiTitlesNormalizeAsTheUnicodePathNormalizesThem() {
        java.util.Random random = new java.util.Random(5);
        String[] pieces = {"Fine", "TUNING", "of", "LLMs", "2", " ", "  ", "\t", "\n", "\r\n", "\u000B", "\f", "\u001C", "\u001F", "\u0000", "\u007F",
            "-", " - ", ":", "'", "\"", "(", ")", "$", "+", "<", "=", ">", "^", "`", "|", "~", "_", "#", "@", "!", "?", ".", ",", ";", "&", "*", "/", "\\",
            "[", "]", "{", "}", "%"};
        for (int n = 0; n < 100_000; n++) {
            StringBuilder title = new StringBuilder();
            int count = random.nextInt(12);
            for (int i = 0; i < count; i++) {
                title.append(random.nextInt(4) == 0 ? String.valueOf((char) random.nextInt(128)) : pieces[random.nextInt(pieces.length)]);
            }
            String t = title.toString();
            assertThat(ItemIds.asciiNormalized(t)).as("'%s'", t).isEqualTo(unicodePath(t));
        }
        assertThat(ItemIds.asciiNormalized("Caf\u00e9")).isNull();
    }

    /** The normalization as it was before the ASCII fast path, verbatim. */
    private static String unicodePath(String title) {
        String s = java.text.Normalizer.normalize(title, java.text.Normalizer.Form.NFKC);
        s = s.toUpperCase(java.util.Locale.ROOT).toLowerCase(java.util.Locale.ROOT);
        s = java.util.regex.Pattern.compile("[\\p{P}\\p{S}\\p{Cf}]").matcher(s).replaceAll("");
        return java.util.regex.Pattern.compile("[\\s\\p{Z}]+").matcher(s).replaceAll(" ").strip();
    }
}
