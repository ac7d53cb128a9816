package dev.digestflow.enrich.taxonomy;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The form both the taxonomy terms and the item text are matched in: NFKC, lower case, every dash
 * (including U+2011) as '-', curly quotes as straight ones, whitespace collapsed. So "Fine‑Tuning"
 * with a non-breaking hyphen matches the term "fine-tuning".
 */
public final class TextNormalizer {

    private static final Pattern DASHES = Pattern.compile("[\\p{Pd}\\u2212\\u00AD]");
    private static final Pattern SINGLE_QUOTES = Pattern.compile("[\\u2018\\u2019\\u201A\\u201B\\u2032]");
    private static final Pattern DOUBLE_QUOTES = Pattern.compile("[\\u201C\\u201D\\u201E\\u201F\\u2033]");
    private static final Pattern SPACES = Pattern.compile("[\\s\\p{Z}]+");

    private TextNormalizer() {
    }

    public static String normalize(String text) {
        if (text == null) {
            return "";
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        s = DASHES.matcher(s).replaceAll("-");
        s = SINGLE_QUOTES.matcher(s).replaceAll("'");
        s = DOUBLE_QUOTES.matcher(s).replaceAll("\"");
        return SPACES.matcher(s).replaceAll(" ").strip();
    }
}
