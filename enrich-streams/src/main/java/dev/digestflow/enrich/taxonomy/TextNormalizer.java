package dev.digestflow.enrich.taxonomy;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The form both the taxonomy terms and the item text are matched in: NFKC, lower case, every dash
 * (including U+2011) as '-', curly quotes as straight ones, whitespace collapsed. So "Fine‑Tuning"
 * with a non-breaking hyphen matches the term "fine-tuning". One pass, no regex: it runs per item.
 */
public final class TextNormalizer {

    private TextNormalizer() {
    }

    public static String normalize(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String s = Normalizer.isNormalized(text, Normalizer.Form.NFKC) ? text : Normalizer.normalize(text, Normalizer.Form.NFKC);
        s = s.toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            if (c == '\u00AD') {
                continue; // soft hyphen: invisible, not a separator
            }
            if (c == '\u2212' || Character.getType(c) == Character.DASH_PUNCTUATION) {
                out.append('-');
            } else if (c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B' || c == '\u2032') {
                out.append('\'');
            } else if (c == '\u201C' || c == '\u201D' || c == '\u201E' || c == '\u201F' || c == '\u2033') {
                out.append('"');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
