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

    /** The prefilter's literal: only text every match must contain, so that skipping a text without it loses no match. */
    @Test
    void aRegexTermsRequiredLiteralIsTextEveryMatchContains() {
        assertThat(Term.requiredLiteral("reward(s|ing)? (card|program|point)s?")).isEqualTo("reward");
        assertThat(Term.requiredLiteral("cuts? memory")).isEqualTo(" memory");
        assertThat(Term.requiredLiteral("on[- ]device")).isEqualTo("device");
        assertThat(Term.requiredLiteral("\\badapters?\\b")).isEqualTo("adapter");
        assertThat(Term.requiredLiteral("(halves|halving) memory")).isEqualTo(" memory");
        assertThat(Term.requiredLiteral("colou?r")).isEqualTo("colo");
        assertThat(Term.requiredLiteral("a{2}bc")).isEqualTo("bc");
        assertThat(Term.requiredLiteral("x.y")).isEqualTo("x");
        assertThat(Term.requiredLiteral("ab+cd")).isEqualTo("ab");
        assertThat(Term.requiredLiteral("v2\\.5 model")).isEqualTo("v2.5 model");
        assertThat(Term.requiredLiteral("gpt\\d+ turbo")).isEqualTo(" turbo");
        assertThat(Term.requiredLiteral("[]a]bc")).isEqualTo("bc");
        assertThat(Term.requiredLiteral("model|agent")).isEmpty();
        assertThat(Term.requiredLiteral("(?i)model")).isEmpty();
        assertThat(Term.requiredLiteral("(model|agent)s?")).isEmpty();
        for (String text : new String[] {"the reward card", "cut memory", "on device", "adapter", "halves memory", "color", "agents", "xzy", "abbcd", "]bc", "on-device"}) {
            for (String regex : new String[] {"reward(s|ing)? (card|program|point)s?", "cuts? memory", "on[- ]device", "\\badapters?\\b",
                "(halves|halving) memory", "colou?r", "(model|agent)s?", "x.y", "ab+cd", "[]a]bc"}) {
                Term t = Term.compile("re:" + regex, 1.0, List.of());
                java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
                assertThat(!t.regexSpans(text).isEmpty()).as(regex + " in " + text).isEqualTo(m.find() && (m.start() == 0 || text.charAt(m.start() - 1) == ' '));
            }
        }
    }

    @Test
    void nonBreakingHyphenMatchesTheHyphenatedTerm() {
        Tagger tagger = new Tagger(Taxonomy.defaults());
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
