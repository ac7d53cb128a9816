package dev.digestflow.enrich.taxonomy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One taxonomy term (a phrase or keyword, with its synonyms) prepared for matching on analysed text
 * ({@link Tokens}: English stemming, stop words and possessives, as Elasticsearch's english analyzer).
 * A term is matched as a sequence of analysed words, so word boundaries hold and word forms meet
 * ("distilled" = "distillation"); a hyphen or a space between its words matches either or none
 * ("fine-tuning" = "fine tuning" = "finetuning"). A term written {@code re:<regex>} is a regular
 * expression on the normalized text instead, for the rare case words cannot express.
 *
 * @param name the term as written in the taxonomy; this is what explanations show
 * @param sequences the word sequences that count as this term (term and synonyms, split and joined)
 */
public record Term(String name, double weight, List<List<String>> sequences, List<Pattern> regexes, List<String> regexPrefixes) {

    private static final String RIGHT = "(?![\\p{L}\\p{N}])";

    /** Compiles the term and its synonyms; a bad one throws with the offending pattern in the message. */
    static Term compile(String name, double weight, List<String> synonyms) {
        List<List<String>> sequences = new ArrayList<>();
        List<Pattern> regexes = new ArrayList<>();
        add(name, sequences, regexes);
        for (String s : synonyms) {
            add(s, sequences, regexes);
        }
        return new Term(name, weight, List.copyOf(sequences), List.copyOf(regexes), regexes.stream().map(p -> literalPrefix(p.pattern())).toList());
    }

    private static void add(String written, List<List<String>> sequences, List<Pattern> regexes) {
        if (written == null || written.isBlank()) {
            throw new IllegalArgumentException("empty term");
        }
        if (written.startsWith("re:")) {
            String regex = written.substring(3);
            try {
                // No left boundary in the pattern: a lookbehind in front is evaluated at every position of every text and kept
                // Java's regex from skipping ahead to where the pattern can start (the bench's profile: half of enrich's CPU).
                // regexSpans checks it on each match instead; the right boundary stays in, where it can make the body backtrack.
                regexes.add(Pattern.compile("(?:" + regex + ")" + RIGHT, Pattern.UNICODE_CHARACTER_CLASS));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad regular expression '" + regex + "': " + e.getDescription());
            }
            return;
        }
        String normalized = TextNormalizer.normalize(written);
        List<String> words = Tokens.of(normalized).words();
        if (words.isEmpty()) {
            throw new IllegalArgumentException("nothing left to match after analysis (no letters or digits, or only stop words)");
        }
        sequences.add(words);
        String[] raw = normalized.split("[^\\p{L}\\p{N}]+");
        if (raw.length > 1) {
            // "fine-tuning" also as "finetuning": the words joined before analysis, analysed as one.
            List<String> joined = Tokens.of(String.join("", raw)).words();
            if (joined.size() == 1 && !joined.equals(words)) {
                sequences.add(joined);
            }
        }
    }

    /** Occurrences of the term's regular expressions, as [start, end) character spans. */
    List<int[]> regexSpans(String normalizedText) {
        List<int[]> spans = new ArrayList<>();
        for (int i = 0; i < regexes.size(); i++) {
            Pattern p = regexes.get(i);
            if (!normalizedText.contains(regexPrefixes.get(i))) {
                continue; // every match starts with this text: without it there is none, and indexOf is far cheaper than the regex
            }
            Matcher m = p.matcher(normalizedText);
            int from = 0;
            while (from <= normalizedText.length() && m.find(from)) {
                int start = m.start();
                if (start == 0 || !wordCharacter(normalizedText.codePointBefore(start))) {
                    spans.add(new int[] {start, m.end()});
                    from = Math.max(m.end(), start + 1);
                } else {
                    from = start + 1; // inside a word: a match may still start further on
                }
            }
        }
        return spans;
    }

    /**
     * The literal text every match of a compiled term pattern ({@code (?:<regex>)<right boundary>})
     * starts with: the regex's leading letters, digits and spaces up to its first special character
     * (less the last one when a quantifier follows it, as in {@code "cuts?"}); empty when it starts
     * with a group or a class, and then the pattern always runs.
     */
    static String literalPrefix(String compiled) {
        String regex = compiled.startsWith("(?:") ? compiled.substring(3) : compiled;
        if (regex.startsWith("\\b")) {
            regex = regex.substring(2);
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (Character.isLetterOrDigit(c) || c == ' ') {
                prefix.append(c);
                continue;
            }
            if ((c == '?' || c == '*' || c == '{') && prefix.length() > 0) {
                prefix.setLength(prefix.length() - 1);
            }
            break;
        }
        return prefix.toString();
    }

    /** {@code [\p{L}\p{N}]} with Unicode classes, as the right boundary in the pattern. */
    private static boolean wordCharacter(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isLetter(codePoint) || type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
    }

    /** Whether the analysed word sequence starts at a position (stemming already made word forms equal). */
    static boolean matchesAt(List<String> seq, Tokens text, int at) {
        for (int j = 0; j < seq.size(); j++) {
            if (!seq.get(j).equals(text.words().get(at + j))) {
                return false;
            }
        }
        return true;
    }
}
