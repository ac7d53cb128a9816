package dev.digestflow.enrich.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.digestflow.schema.TagExplanation;

class TaxonomyAndTaggerTest {

    private static Taxonomy yaml(String text) throws Exception {
        return Taxonomy.parse(new ObjectMapper(new YAMLFactory()).readTree(text), "test.yaml");
    }

    @Test
    void defaultTaxonomyCoversTheResearchTopics() {
        assertThat(Taxonomy.defaults().tagNames()).contains("reinforcement-learning", "fine-tuning", "alignment-safety", "reasoning",
                "agents", "evaluation-benchmarks", "training-data", "efficiency-cost", "multimodal-vision", "robotics-embodied",
                "interpretability", "privacy-security", "education", "retrieval", "model-architecture");
    }

    /** A regular expression matches whole words only: not inside a word on either side, and a later whole-word match still counts. */
    @Test
    void aRegexTermMatchesWholeWordsOnly() {
        Term term = Term.compile("re:verifiers?", 1.0, List.of());
        assertThat(term.regexSpans("a learned verifier checks")).containsExactly(new int[] {10, 18});
        assertThat(term.regexSpans("verifiers, verifier.")).hasSize(2);
        assertThat(term.regexSpans("preverifier and verifiersx")).isEmpty();
        assertThat(term.regexSpans("preverifier then verifier")).containsExactly(new int[] {17, 25});
        assertThat(term.regexSpans("²verifier 2verifier éverifier")).as("numbers and letters of any script are word characters").isEmpty();
        // The right boundary backtracks into the body: "tokenizers" is found through its longer alternative.
        assertThat(Term.compile("re:tokeni[sz](er|ers|ation)", 1.0, List.of()).regexSpans("new tokenizers help")).containsExactly(new int[] {4, 14});
    }

    /** The prefilter's literals: only texts one of which every match must contain, so that skipping a text without them loses no match. */
    @Test
    void aRegexTermsRequiredLiteralsAreTextsEveryMatchContainsOneOf() {
        assertThat(Term.requiredLiterals("reward(s|ing)? (card|program|point)s?")).containsExactly(List.of("reward"), List.of("card", "program", "point"));
        assertThat(Term.requiredLiterals("cuts? memory")).containsExactly(List.of(" memory"), List.of("cut"));
        assertThat(Term.requiredLiterals("on[- ]device")).containsExactly(List.of("device"), List.of("on"));
        assertThat(Term.requiredLiterals("\\badapters?\\b")).containsExactly(List.of("adapter"));
        assertThat(Term.requiredLiterals("(halves|halving) memory")).containsExactly(List.of(" memory"), List.of("halves", "halving"));
        assertThat(Term.requiredLiterals("colou?r")).as("a run of one character is left out").containsExactly(List.of("colo"));
        assertThat(Term.requiredLiterals("a{2}bc")).containsExactly(List.of("bc"));
        assertThat(Term.requiredLiterals("x.y")).isEmpty();
        assertThat(Term.requiredLiterals("ab+cd")).containsExactly(List.of("ab"), List.of("cd"));
        assertThat(Term.requiredLiterals("v2\\.5 model")).containsExactly(List.of("v2.5 model"));
        assertThat(Term.requiredLiterals("gpt\\d+ turbo")).containsExactly(List.of(" turbo"), List.of("gpt"));
        assertThat(Term.requiredLiterals("[]a]bc")).containsExactly(List.of("bc"));
        assertThat(Term.requiredLiterals("model|agent")).containsExactly(List.of("model", "agent"));
        assertThat(Term.requiredLiterals("(model|agent)s?")).containsExactly(List.of("model", "agent"));
        assertThat(Term.requiredLiterals("(?:model|agent)s")).containsExactly(List.of("model", "agent"));
        assertThat(Term.requiredLiterals("(halves|cuts?|lowers?) (the )?(tokens|latency|costs?)")).as("both required groups, the stronger first")
                .containsExactly(List.of("tokens", "latency", "cost"), List.of("halves", "cut", "lower"));
        assertThat(Term.requiredLiterals("model|\\d+")).as("a side without literal text").isEmpty();
        assertThat(Term.requiredLiterals("(model|agent)?sx")).containsExactly(List.of("sx"));
        assertThat(Term.requiredLiterals("(?=model)\\w+")).as("lookarounds are left out").isEmpty();
        assertThat(Term.requiredLiterals("(?i)model")).isEmpty();
        assertThat(Term.requiredLiterals("\\Qa|b\\E")).isEmpty();
        for (String text : new String[] {"the reward card", "cut memory", "on device", "adapter", "halves memory", "color", "agents", "xzy", "abbcd", "]bc", "on-device"}) {
            for (String regex : new String[] {"reward(s|ing)? (card|program|point)s?", "cuts? memory", "on[- ]device", "\\badapters?\\b",
                "(halves|halving) memory", "colou?r", "(model|agent)s?", "x.y", "ab+cd", "[]a]bc"}) {
                Term t = Term.compile("re:" + regex, 1.0, List.of());
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
                assertThat(!t.regexSpans(text).isEmpty()).as(regex + " in " + text).isEqualTo(m.find() && (m.start() == 0 || text.charAt(m.start() - 1) == ' '));
            }
        }
    }

    /**
     * Generated regexes (groups, alternatives, classes, escapes, quantifiers) on generated texts: every
     * match found anywhere holds one text of each of the regex's required sets, and a term's spans, with its
     * prefilter and without the group around a regex that has no top-level alternatives, are those of
     * the plain pattern in its group with the boundaries checked by hand.
     */
    @Test
    void generatedRegexesNeverMatchWithoutTheirLiteralsAndFindWhatTheWrappedPatternFinds() {
        java.util.Random random = new java.util.Random(16);
        int withLiterals = 0;
        int matched = 0;
        for (int r = 0; r < 3_000; r++) {
            String regex = generatedRegex(random, 0);
            java.util.regex.Pattern plain;
            try {
                plain = java.util.regex.Pattern.compile(regex, java.util.regex.Pattern.UNICODE_CHARACTER_CLASS);
            } catch (java.util.regex.PatternSyntaxException e) {
                continue;
            }
            List<List<String>> literals = Term.requiredLiterals(regex);
            withLiterals += literals.isEmpty() ? 0 : 1;
            java.util.regex.Pattern wrapped = java.util.regex.Pattern.compile("(?:" + regex + ")(?![\\p{L}\\p{N}])", java.util.regex.Pattern.UNICODE_CHARACTER_CLASS);
            Term term = Term.compile("re:" + regex, 1.0, List.of());
            for (int t = 0; t < 20; t++) {
                String text = generatedText(random);
                java.util.regex.Matcher m = plain.matcher(text);
                for (int from = 0; from <= text.length() && m.find(from); from = m.start() + 1) {
                    String match = m.group();
                    assertThat(literals.stream().allMatch(anyOf -> anyOf.stream().anyMatch(match::contains))).as("'%s' matched '%s' in '%s' without one of each of %s",
                            regex, match, text, literals).isTrue();
                    matched++;
                }
                List<int[]> expected = new java.util.ArrayList<>();
                java.util.regex.Matcher w = wrapped.matcher(text);
                int from = 0;
                while (from <= text.length() && w.find(from)) {
                    if (w.start() == 0 || !Character.isLetterOrDigit(text.codePointBefore(w.start()))) {
                        expected.add(new int[] {w.start(), w.end()});
                        from = Math.max(w.end(), w.start() + 1);
                    } else {
                        from = w.start() + 1;
                    }
                }
                assertThat(term.regexSpans(text)).as("'%s' in '%s'", regex, text).containsExactlyElementsOf(expected);
            }
        }
        assertThat(withLiterals).as("regexes with a prefilter").isGreaterThan(1_000);
        assertThat(matched).as("matches checked").isGreaterThan(5_000);
    }

    private static String generatedRegex(java.util.Random random, int depth) {
        StringBuilder regex = new StringBuilder();
        int pieces = 1 + random.nextInt(4);
        for (int p = 0; p < pieces; p++) {
            int kind = random.nextInt(depth < 2 ? 10 : 7);
            switch (kind) {
                case 0, 1, 2 -> regex.append("ab c".charAt(random.nextInt(4))).append("abc".charAt(random.nextInt(3)));
                case 3 -> regex.append(random.nextBoolean() ? "[ab]" : "[^a ]");
                case 4 -> regex.append(new String[] {"\\.", "\\b", "\\w", ".", "\\-", "\\s"}[random.nextInt(6)]);
                case 5 -> regex.append("-");
                case 6 -> regex.append("|");
                default -> regex.append(random.nextBoolean() ? "(" : "(?:").append(generatedRegex(random, depth + 1)).append(')');
            }
            if (random.nextInt(3) == 0) {
                regex.append(new String[] {"?", "*", "+", "{0,2}", "{1,2}", "{2}"}[random.nextInt(6)]);
            }
        }
        return regex.toString();
    }

    private static String generatedText(java.util.Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(24);
        for (int i = 0; i < length; i++) {
            text.append("abc .-x".charAt(random.nextInt(7)));
        }
        return text.toString();
    }

    @Test
    void nonBreakingHyphenMatchesTheHyphenatedTerm() {
        Tagger tagger = new Tagger(Taxonomy.defaults().withoutLearnedPart()); // the lexicon's matching, its score alone
        List<TagExplanation> tags = tagger.tag("Why RL Fine\u2011Tuning Mostly Rotates", null);
        assertThat(tags).extracting(TagExplanation::getTag).contains("fine-tuning", "reinforcement-learning");
        TagExplanation ft = tags.stream().filter(e -> e.getTag().equals("fine-tuning")).findFirst().orElseThrow();
        assertThat(ft.getMatchedTerms()).containsExactly("fine-tuning");
        assertThat(ft.getScore()).isEqualTo(6.0);
    }

    @Test
    void matchingIsCaseInsensitiveOnWordBoundariesAndHyphenTolerant() throws Exception {
        Taxonomy t = yaml("""
                threshold: 1
                tags:
                  - name: rl
                    keywords: [RL]
                  - name: ft
                    phrases: [fine-tuning]
                """);
        Tagger tagger = new Tagger(t);
        assertThat(tagger.tag("An rl agent", null)).extracting(TagExplanation::getTag).containsExactly("rl");
        assertThat(tagger.tag("Control of URLs", null)).as("no match inside a word").isEmpty();
        assertThat(tagger.tag("Finetuning made easy", null)).extracting(TagExplanation::getTag).containsExactly("ft");
        assertThat(tagger.tag("Fine Tuning made easy", null)).extracting(TagExplanation::getTag).containsExactly("ft");
    }

    @Test
    void scoresWeighTitleOverSummaryAndRespectTheThreshold() throws Exception {
        Taxonomy t = yaml("""
                threshold: 3
                fields: {title: 3, summary: 1}
                tags:
                  - name: agents
                    phrases: [tool use]
                    keywords: [agent]
                """);
        Tagger tagger = new Tagger(t);
        assertThat(tagger.tag("Agents", null)).singleElement().satisfies(e -> assertThat(e.getScore()).isEqualTo(3.0));
        assertThat(tagger.tag("A paper", "about tool use")).as("a lone phrase in the summary scores 2").isEmpty();
        assertThat(tagger.tag("A paper", "an agent with tool use")).singleElement().satisfies(e -> {
            assertThat(e.getScore()).isEqualTo(3.0);
            assertThat(e.getMatchedTerms()).containsExactly("tool use", "agent");
        });
    }

    @Test
    void overlappingMatchesCountOnceForTheLongestTerm() throws Exception {
        Taxonomy t = yaml("""
                threshold: 1
                tags:
                  - name: ft
                    phrases: [supervised fine-tuning, fine-tuning]
                """);
        assertThat(new Tagger(t).tag("Supervised fine-tuning", null)).singleElement()
                .satisfies(e -> assertThat(e.getMatchedTerms()).containsExactly("supervised fine-tuning"));
    }

    @Test
    void exclusionsVetoATagAndSynonymsCountForTheirTerm() throws Exception {
        Taxonomy t = yaml("""
                threshold: 1
                tags:
                  - name: education
                    keywords: [student]
                    exclude: ["re:student models?"]
                  - name: rl
                    phrases: [reinforcement learning]
                    synonyms: {reinforcement learning: [trial-and-error learning]}
                """);
        Tagger tagger = new Tagger(t);
        assertThat(tagger.tag("Helping a student", null)).extracting(TagExplanation::getTag).containsExactly("education");
        assertThat(tagger.tag("Distilling into a student model", null)).isEmpty();
        assertThat(tagger.tag("Trial-and-error learning", null)).singleElement()
                .satisfies(e -> assertThat(e.getMatchedTerms()).containsExactly("reinforcement learning"));
    }

    @Test
    void tagsAreOrderedByScoreHighestFirst() {
        List<TagExplanation> tags = new Tagger(Taxonomy.defaults()).tag("Reinforcement learning for robot manipulation",
                "A robot learns manipulation with reinforcement learning and PPO.");
        assertThat(tags).isSortedAccordingTo((a, b) -> Double.compare(b.getScore(), a.getScore()));
    }

    @Test
    void invalidTaxonomiesAreRejectedNamingTagAndPattern() {
        assertThatThrownBy(() -> yaml("""
                threshold: -1
                tags:
                  - name: Bad Name
                    keywords: [x]
                  - name: broken
                    phrases: ["re:(unclosed"]
                  - name: empty
                  - name: untagged
                    keywords: [y]
                  - name: broken
                    keywords: [""]
                """)).isInstanceOfSatisfying(TaxonomyException.class, e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("threshold"))
                        .anySatisfy(p -> assertThat(p).contains("tag 'Bad Name'").contains("lower-case"))
                        .anySatisfy(p -> assertThat(p).contains("tag 'broken'").contains("'re:(unclosed'").contains("bad regular expression"))
                        .anySatisfy(p -> assertThat(p).contains("tag 'empty'").contains("at least one phrase or keyword"))
                        .anySatisfy(p -> assertThat(p).contains("tag 'untagged'").contains("reserved"))
                        .anySatisfy(p -> assertThat(p).contains("tag 'broken'").contains("defined twice")));
    }

    @Test
    void jsonTaxonomyFilesLoadToo(@TempDir Path dir) throws Exception {
        Path json = Files.writeString(dir.resolve("t.json"), "{\"tags\":[{\"name\":\"agents\",\"phrases\":[\"tool use\"]}]}");
        assertThat(Taxonomy.load(json).tagNames()).containsExactly("agents");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "tags: []\n");
        assertThatThrownBy(() -> Taxonomy.load(bad)).hasMessageContaining("non-empty list").hasMessageContaining("bad.yaml");
    }

    /** One term repeated over a megabyte: overlap resolution must be linear (it was quadratic: tens of seconds for 300 KB). */
    @org.junit.jupiter.api.Test
    void aMegabyteSummaryOfOneRepeatedTermIsTaggedWithoutHanging() {
        Tagger tagger = new Tagger(Taxonomy.defaults());
        String summary = "RL ".repeat(350_000);
        var tags = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> tagger.tag("Scaling RL for reasoning", summary));
        org.assertj.core.api.Assertions.assertThat(tags).isNotEmpty();
    }
}
