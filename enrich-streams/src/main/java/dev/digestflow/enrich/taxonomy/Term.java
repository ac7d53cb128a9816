package dev.digestflow.enrich.taxonomy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One taxonomy term (a phrase or keyword, with its synonyms) compiled for matching on normalized text.
 * Matching respects word boundaries; a hyphen or a space between words matches either or none
 * ("fine-tuning" = "fine tuning" = "finetuning"); a trailing plural "s" is tolerated. A term written
 * {@code re:<regex>} is used as a regular expression on the normalized text.
 *
 * @param name the term as written in the taxonomy; this is what explanations show
 */
public record Term(String name, double weight, List<Pattern> patterns) {

    private static final String LEFT = "(?<![\\p{L}\\p{N}])";
    private static final String RIGHT = "(?![\\p{L}\\p{N}])";

    /** Compiles the term and its synonyms; a bad one throws with the offending pattern in the message. */
    static Term compile(String name, double weight, List<String> synonyms) {
        List<Pattern> patterns = new ArrayList<>();
        patterns.add(pattern(name));
        for (String s : synonyms) {
            patterns.add(pattern(s));
        }
        return new Term(name, weight, List.copyOf(patterns));
    }

    static Pattern pattern(String written) {
        if (written == null || written.isBlank()) {
            throw new IllegalArgumentException("empty term");
        }
        if (written.startsWith("re:")) {
            String regex = written.substring(3);
            try {
                return Pattern.compile(LEFT + "(?:" + regex + ")" + RIGHT, Pattern.UNICODE_CHARACTER_CLASS);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad regular expression '" + regex + "': " + e.getDescription());
            }
        }
        String normalized = TextNormalizer.normalize(written);
        String[] words = normalized.split("[ -]+");
        StringBuilder regex = new StringBuilder(LEFT);
        for (int i = 0; i < words.length; i++) {
            if (words[i].isEmpty()) {
                continue;
            }
            if (regex.length() > LEFT.length()) {
                regex.append("[ -]?");
            }
            regex.append(Pattern.quote(words[i]));
        }
        if (Character.isLetter(normalized.charAt(normalized.length() - 1))) {
            regex.append("(?:s|es)?");
        }
        regex.append(RIGHT);
        return Pattern.compile(regex.toString(), Pattern.UNICODE_CHARACTER_CLASS);
    }

    /** Every occurrence of the term or a synonym, as [start, end) spans in the normalized text. */
    public java.util.List<int[]> spans(String normalizedText) {
        java.util.List<int[]> spans = new java.util.ArrayList<>();
        for (Pattern p : patterns) {
            java.util.regex.Matcher m = p.matcher(normalizedText);
            while (m.find()) {
                spans.add(new int[] {m.start(), m.end()});
            }
        }
        return spans;
    }

    /** Whether the term (or a synonym) occurs in the normalized text. */
    public boolean matches(String normalizedText) {
        for (Pattern p : patterns) {
            if (p.matcher(normalizedText).find()) {
                return true;
            }
        }
        return false;
    }
}
