package dev.digestflow.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Bytes that are not a digest, each with a precise reason, and detection by content. */
class TextDecoderAndDetectionTest {

    private static DigestText decode(byte[] bytes) throws DigestParseException {
        return TextDecoder.decode("f", Fixtures.FILE_TIME, bytes);
    }

    @Test
    void emptyAndWhitespaceOnlyAreRejected() {
        assertThatThrownBy(() -> decode(new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> decode(" \n\t\r\n ".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("only whitespace");
    }

    @Test
    void nulBytesAreRejectedWithTheirOffset() {
        assertThatThrownBy(() -> decode("abc\0def".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(DigestParseException.class, e -> assertThat(e.byteOffset()).isEqualTo(3))
                .hasMessageContaining("NUL byte at byte offset 3");
    }

    @Test
    void binaryContentIsRejected() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        assertThatThrownBy(() -> decode(png)).hasMessageContaining("byte offset");
    }

    @Test
    void invalidUtf8IsRejectedWithTheOffsetAndAFix() {
        byte[] latin1 = "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> decode(latin1))
                .isInstanceOfSatisfying(DigestParseException.class, e -> {
                    assertThat(e.byteOffset()).isEqualTo(3);
                    assertThat(e.advice()).contains("iconv");
                })
                .hasMessageContaining("invalid UTF-8 at byte offset 3");
    }

    @Test
    void utf8BomIsDroppedAndCrLfKept() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a', '\r', '\n', 'b'};
        DigestText t = decode(bom);
        assertThat(t.text()).isEqualTo("a\r\nb");
        assertThat(t.lines()).containsExactly("a", "b");
    }

    @Test
    void utf16WithBomIsDecoded() throws Exception {
        byte[] utf16 = "\uFEFF## Title\n\nText".getBytes(StandardCharsets.UTF_16LE);
        assertThat(decode(utf16).text()).isEqualTo("## Title\n\nText");
        assertThat(decode("\uFEFFhi".getBytes(StandardCharsets.UTF_16BE)).text()).isEqualTo("hi");
    }

    @Test
    void detectionIsByContentAndUnknownFormatsNameWhatWasTried() throws Exception {
        ParserRegistry registry = ParserRegistry.defaults();
        assertThatThrownBy(() -> registry.parse(decode("just some words\nand more\n".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOfSatisfying(DigestParseException.class, e -> assertThat(e.format()).isNull())
                .hasMessageContaining("not a recognized digest format")
                .hasMessageContaining("blog-listing, ").hasMessageContaining("markdown");
        assertThatThrownBy(() -> registry.parse(decode("<!DOCTYPE html><html><body>x</body></html>".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("HTML page");
        assertThatThrownBy(() -> registry.parse(decode("<?xml version=\"1.0\"?><config><a/></config>".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("root element is <config>");
    }

    /** Each page format is known by one line of its own, wherever it stands; the cheap scans before the regexes keep that. */
    @Test
    void pageFormatsAreKnownByTheirOwnLinesWithoutTheirHeaders() throws Exception {
        ParserRegistry registry = ParserRegistry.defaults();
        String papers = "Some Paper Title\n\nAn abstract.\n\n  \u2022 3 authors\n\u00b7\nOct 29\n\nOther Paper\n\nAnother abstract.\n\n\u2022 1 author\n\u00b7\nAug 11\n";
        assertThat(registry.parserFor(decode(papers.getBytes(StandardCharsets.UTF_8))).format()).isEqualTo("daily-papers");
        String blog = "A Post\nA teaser.\n\tAugust 5, 2025 \u00b7 7 min \u00b7 Ada\n";
        assertThat(registry.parserFor(decode(blog.getBytes(StandardCharsets.UTF_8))).format()).isEqualTo("blog-listing");
        String hub = "Intro\n Topic Hub \u00b7 3 linked notes \u00b7 1 section \nNotes\n";
        assertThat(registry.parserFor(decode(hub.getBytes(StandardCharsets.UTF_8))).format()).isEqualTo("topic-hub");
    }
}
