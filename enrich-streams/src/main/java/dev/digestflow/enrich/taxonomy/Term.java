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
public record Term(String name, double weight, List<List<String>> sequences, List<Pattern> regexes, List<String> regexLiterals) {

    private static final String RIGHT = "(?![\\p{L}\\p{N}])";

    /** Compiles the term and its synonyms; a bad one throws with the offending pattern in the message. */
    static Term compile(String name, double weight, List<String> synonyms) {
        List<List<String>> sequences = new ArrayList<>();
        List<Pattern> regexes = new ArrayList<>();
        List<String> literals = new ArrayList<>();
        add(name, sequences, regexes, literals);
        for (String s : synonyms) {
            add(s, sequences, regexes, literals);
        }
        return new Term(name, weight, List.copyOf(sequences), List.copyOf(regexes), List.copyOf(literals));
    }

    private static void add(String written, List<List<String>> sequences, List<Pattern> regexes, List<String> literals) {
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
                literals.add(requiredLiteral(regex));
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
            if (!normalizedText.contains(regexLiterals.get(i))) {
                continue; // every match contains this text: without it there is none, and indexOf is far cheaper than the regex
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
     * The longest literal text every match of a term's regular expression contains, read from the
     * regex's top level: runs of plain characters (and escaped punctuation) between its groups,
     * classes, wildcards and anchors, less a character a {@code ?}, {@code *} or {@code {}} makes
     * optional. Empty when there is none, when the top level has alternatives ({@code a|b}) or when
     * inline flags could change case; then the pattern always runs. A text without this literal holds
     * no match, and {@code String.contains} is far cheaper than the regex: for "on[- ]device" the
     * check is "device", where a prefix would be "on", found in nearly every text.
     */
    static String requiredLiteral(String regex) {
        if (regex.contains("(?") && regex.matches("(?s).*\\(\\?[a-zA-Z-].*")) {
            return ""; // inline flags, e.g. (?i): the literal's case is no longer what a match contains
        }
        String longest = "";
        StringBuilder run = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char escaped = regex.charAt(++i);
                if (depth == 0 && !Character.isLetterOrDigit(escaped)) {
                    longest = appendUnlessOptional(run, escaped, regex, i, longest); // \. \- \( ...: the character itself
                } else if (depth == 0) {
                    longest = endRun(run, longest); // \b, \d, \s, \p{..}: not literal text
                }
                continue;
            }
            if (c == '[') {
                i = classEnd(regex, i);
                longest = depth == 0 ? endRun(run, longest) : longest;
                continue;
            }
            if (c == '(') {
                depth++;
                longest = depth == 1 ? endRun(run, longest) : longest;
                continue;
            }
            if (c == ')') {
                depth = Math.max(0, depth - 1);
                continue;
            }
            if (depth > 0) {
                continue;
            }
            if (c == '|') {
                return ""; // alternatives at the top level: no text is common to all matches
            }
            if (".^$?*+{}".indexOf(c) >= 0) {
                longest = endRun(run, longest);
                if (c == '{') {
                    int close = regex.indexOf('}', i);
                    i = close < 0 ? i : close;
                }
                continue;
            }
            longest = appendUnlessOptional(run, c, regex, i, longest);
        }
        return endRun(run, longest);
    }

    /** Adds {@code c} (at {@code at}) to the run, or ends the run when a quantifier makes it optional or repeated. */
    private static String appendUnlessOptional(StringBuilder run, char c, String regex, int at, String longest) {
        char next = at + 1 < regex.length() ? regex.charAt(at + 1) : 0;
        if (next == '?' || next == '*' || next == '{') {
            return endRun(run, longest);
        }
        run.append(c);
        return next == '+' ? endRun(run, longest) : longest; // "b+" holds one b at least; what follows may not be adjacent
    }

    private static String endRun(StringBuilder run, String longest) {
        String r = run.toString();
        run.setLength(0);
        return r.length() > longest.length() ? r : longest;
    }

    /** The index of the ']' that closes the class opening at {@code open} (a ']' first in the class is literal). */
    private static int classEnd(String regex, int open) {
        int i = open + 1;
        if (i < regex.length() && regex.charAt(i) == '^') {
            i++;
        }
        if (i < regex.length() && regex.charAt(i) == ']') {
            i++;
        }
        for (; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '[') {
                i = classEnd(regex, i); // nested class, as in [a-z&&[^x]]
            } else if (c == ']') {
                return i;
            }
        }
        return regex.length();
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
