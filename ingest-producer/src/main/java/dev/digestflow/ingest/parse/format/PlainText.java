package dev.digestflow.ingest.parse.format;

/**
 * Whitespace as the parsers' text fields fold it: Java's regex {@code \s} (space, tab, newline, vertical tab,
 * form feed, carriage return), in loops rather than {@code replaceAll}, which was half of a Markdown parse and a
 * seventh of a feed's (JMH stack profiles). {@code FeedTextLoopsTest} holds them to the regexes.
 */
final class PlainText {

    private PlainText() {
    }

    /** Java's regex {@code \s}: space, tab, newline, vertical tab, form feed, carriage return. */
    static boolean asciiSpace(char c) {
        // One comparison rejects every letter, digit and non-ASCII character: the common case, on every character.
        return c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r');
    }

    /** What {@code s.replaceAll("\\s+", " ").strip()} gives, in one pass; the text itself when nothing folds. */
    static String foldWhitespace(String s) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == ' ' ? i + 1 < n && asciiSpace(s.charAt(i + 1)) : asciiSpace(c)) {
                break; // the first run to fold: two or more whitespace characters, or one that is not a space
            }
            i++;
        }
        if (i == n) {
            return s.strip(); // only single spaces: the regex changes nothing
        }
        StringBuilder out = new StringBuilder(n);
        out.append(s, 0, i);
        boolean space = false;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (asciiSpace(c)) {
                space = true;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
        }
        if (space) {
            out.append(' ');
        }
        return out.toString().strip();
    }
}
