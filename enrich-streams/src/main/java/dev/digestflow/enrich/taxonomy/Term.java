package dev.digestflow.enrich.taxonomy;

import java.util.ArrayList;
import java.util.Comparator;
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
public record Term(String name, double weight, List<List<String>> sequences, List<Pattern> regexes, List<List<List<String>>> regexLiterals) {

    private static final String RIGHT = "(?![\\p{L}\\p{N}])";

    /** Compiles the term and its synonyms; a bad one throws with the offending pattern in the message. */
    static Term compile(String name, double weight, List<String> synonyms) {
        List<List<String>> sequences = new ArrayList<>();
        List<Pattern> regexes = new ArrayList<>();
        List<List<List<String>>> literals = new ArrayList<>();
        add(name, sequences, regexes, literals);
        for (String s : synonyms) {
            add(s, sequences, regexes, literals);
        }
        return new Term(name, weight, List.copyOf(sequences), List.copyOf(regexes), List.copyOf(literals));
    }

    private static void add(String written, List<List<String>> sequences, List<Pattern> regexes, List<List<List<String>>> literals) {
        if (written == null || written.isBlank()) {
            throw new IllegalArgumentException("empty term");
        }
        if (written.startsWith("re:")) {
            String regex = written.substring(3);
            try {
                // No left boundary in the pattern: a lookbehind in front is evaluated at every position of every text and kept
                // Java's regex from skipping ahead to where the pattern can start (the bench's profile: half of enrich's CPU).
                // regexSpans checks it on each match instead; the right boundary stays in, where it can make the body backtrack.
                // Without alternatives at its top level the regex needs no group around it, and a pattern that starts with a
                // literal then gets the JDK's Boyer-Moore scan instead of a group entered at every position (the profile's
                // GroupHead and Slice frames). Inline flags and \Q quotes keep the group: they would reach the boundary.
                boolean bare = alternatives(regex).size() == 1 && !flagsOrQuotes(regex);
                regexes.add(Pattern.compile(bare ? regex + RIGHT : "(?:" + regex + ")" + RIGHT, Pattern.UNICODE_CHARACTER_CLASS));
                literals.add(requiredLiterals(regex));
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
            if (!containsOneOfEach(normalizedText, regexLiterals.get(i))) {
                continue; // every match contains one text of each set: without them there is none, and indexOf is far cheaper than the regex
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

    private static boolean containsOneOfEach(String text, List<List<String>> clauses) {
        for (List<String> anyOf : clauses) {
            if (!containsAny(text, anyOf)) {
                return false;
            }
        }
        return true; // with no sets known, the pattern runs
    }

    private static boolean containsAny(String text, List<String> literals) {
        for (String literal : literals) {
            if (text.contains(literal)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sets of texts such that every match of a term's regular expression contains one text of each
     * set, read from the regex's structure, strongest set first: each run of plain characters (and
     * escaped punctuation) at its top level, less a character a {@code ?}, {@code *} or {@code {}}
     * makes optional, is a set of one; a group every match passes through adds the sets of its body,
     * or, for a body with alternatives, one set with a text from each alternative; for {@code a|b} at
     * the top level, the same. Runs of one character are left out. No set is known for an alternative
     * without literal text, inline flags that could change case, or {@code \Q} quoting; then the pattern
     * always runs. A text that lacks every text of a set holds no match, and {@code String.contains} is
     * far cheaper than the regex, above all for a regex that starts with alternatives, which the JDK
     * tries at every position: for "(halves|cuts?) (the )?memory" the sets are " memory" and
     * "halves"/"cut", and a text must have both.
     */
    static List<List<String>> requiredLiterals(String regex) {
        if (flagsOrQuotes(regex)) {
            return List.of();
        }
        List<String> sides = alternatives(regex);
        if (sides.size() > 1) {
            List<String> any = new ArrayList<>();
            for (String side : sides) {
                List<List<String>> clauses = requiredLiterals(side);
                if (clauses.isEmpty()) {
                    return List.of(); // a side without literal text: nothing is common to every match
                }
                any.addAll(clauses.get(0));
            }
            return List.of(List.copyOf(any));
        }
        List<List<String>> clauses = sequenceLiterals(regex);
        clauses.sort(Comparator.comparingInt(Term::shortest).reversed().thenComparingInt(List::size));
        return List.copyOf(clauses);
    }

    /** The required sets of a regex without alternatives at its top level: its runs, and its required groups' sets. */
    private static List<List<String>> sequenceLiterals(String regex) {
        List<List<String>> clauses = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\' && i + 1 < regex.length()) {
                char escaped = regex.charAt(++i);
                if (!Character.isLetterOrDigit(escaped)) {
                    appendUnlessOptional(run, escaped, regex, i, clauses); // \. \- \( ...: the character itself
                } else {
                    endRun(run, clauses); // \b, \d, \s, \p{..}: not literal text
                }
                continue;
            }
            if (c == '[') {
                i = classEnd(regex, i);
                endRun(run, clauses);
                continue;
            }
            if (c == '(') {
                endRun(run, clauses);
                int close = groupEnd(regex, i);
                char next = close + 1 < regex.length() ? regex.charAt(close + 1) : 0;
                boolean required = next != '?' && next != '*' && next != '{';
                String body = regex.substring(i + 1, Math.min(close, regex.length()));
                if (required && body.startsWith("?:")) {
                    clauses.addAll(requiredLiterals(body.substring(2)));
                } else if (required && !body.startsWith("?")) { // lookarounds and named groups: left out
                    clauses.addAll(requiredLiterals(body));
                }
                i = close;
                continue;
            }
            if (".^$?*+{}|)".indexOf(c) >= 0) {
                endRun(run, clauses);
                if (c == '{') {
                    int close = regex.indexOf('}', i);
                    i = close < 0 ? i : close;
                }
                continue;
            }
            appendUnlessOptional(run, c, regex, i, clauses);
        }
        endRun(run, clauses);
        return clauses;
    }

    /** The regex split at the {@code |} of its top level (outside groups, classes and escapes). */
    static List<String> alternatives(String regex) {
        List<String> sides = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < regex.length(); i = tokenEnd(regex, i) + 1) {
            char c = regex.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (c == '|' && depth == 0) {
                sides.add(regex.substring(from, i));
                from = i + 1;
            }
        }
        sides.add(regex.substring(from));
        return sides;
    }

    /** Inline flags, which may change case or reach past the regex, or {@code \Q} quoting, which this reading does not follow. */
    private static boolean flagsOrQuotes(String regex) {
        return regex.contains("\\Q") || regex.contains("(?") && regex.matches("(?s).*\\(\\?[a-zA-Z-].*");
    }

    /** The index of the ')' that closes the group opening at {@code open}, or the regex's length. */
    private static int groupEnd(String regex, int open) {
        int depth = 0;
        for (int i = open; i < regex.length(); i = tokenEnd(regex, i) + 1) {
            char c = regex.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return regex.length();
    }

    /** The last index of the token at {@code i}: an escape's escaped character, a class's ']', else {@code i} itself. */
    private static int tokenEnd(String regex, int i) {
        char c = regex.charAt(i);
        return c == '\\' ? i + 1 : c == '[' ? classEnd(regex, i) : i;
    }

    private static int shortest(List<String> literals) {
        int min = Integer.MAX_VALUE;
        for (String literal : literals) {
            min = Math.min(min, literal.length());
        }
        return min;
    }

    /** Adds {@code c} (at {@code at}) to the run, or ends the run when a quantifier makes it optional or repeated. */
    private static void appendUnlessOptional(StringBuilder run, char c, String regex, int at, List<List<String>> clauses) {
        char next = at + 1 < regex.length() ? regex.charAt(at + 1) : 0;
        if (next == '?' || next == '*' || next == '{') {
            endRun(run, clauses);
            return;
        }
        run.append(c);
        if (next == '+') {
            endRun(run, clauses); // "b+" holds one b at least; what follows may not be adjacent
        }
    }

    private static void endRun(StringBuilder run, List<List<String>> clauses) {
        if (run.length() > 1) {
            clauses.add(List.of(run.toString()));
        }
        run.setLength(0);
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
