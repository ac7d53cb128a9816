package dev.digestflow.enrich.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.digestflow.schema.TagExplanation;

/** A taxonomy file changed while the pipeline runs: a valid change is put in use, an invalid one refused by line. */
class CurrentTaxonomyTest {

    private static final String V1 = "tags:\n  - name: agents\n    keywords: [agent]\n";
    private static final String V2 = "tags:\n  - name: agents\n    keywords: [agent]\n  - name: quantum\n    keywords: [qubit]\n";

    private static void write(Path file, String text, int secondsLater) throws Exception {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(secondsLater)));
    }

    private static java.util.List<String> tags(CurrentTaxonomy current, String title) {
        return current.tagger().tag(title, "").stream().map(TagExplanation::getTag).toList();
    }

    @Test
    void aValidChangeIsPutInUseAndAnInvalidOneRefusedByLineKeepingTheCurrent(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("taxonomy.yaml");
        write(file, V1, 0);
        CurrentTaxonomy current = new CurrentTaxonomy(Taxonomy.load(file), file);
        String v1 = current.taxonomy().version();
        assertThat(v1).startsWith("sha256:");
        assertThat(current.reloadIfChanged(t -> { })).isInstanceOf(CurrentTaxonomy.Change.Unchanged.class);
        assertThat(tags(current, "Qubit error correction")).isEmpty();

        write(file, V2, 10);
        CurrentTaxonomy.Change change = current.reloadIfChanged(t -> { });
        assertThat(change).isInstanceOf(CurrentTaxonomy.Change.Loaded.class);
        assertThat(current.taxonomy().version()).isNotEqualTo(v1);
        assertThat(tags(current, "Qubit error correction")).containsExactly("quantum");

        String v2 = current.taxonomy().version();
        write(file, V2 + "  - name: Bad_Name\n    keywords: [x]\n", 20);
        change = current.reloadIfChanged(t -> { });
        assertThat(change).isInstanceOf(CurrentTaxonomy.Change.Refused.class);
        assertThat(((CurrentTaxonomy.Change.Refused) change).reason()).contains("line 6:").contains("Bad_Name").contains("keeping taxonomy " + v2);
        assertThat(current.taxonomy().version()).isEqualTo(v2);

        write(file, "tags:\n  - name: agents\n    keywords: [agent\n", 30);
        change = current.reloadIfChanged(t -> { });
        assertThat(((CurrentTaxonomy.Change.Refused) change).reason()).contains("not valid YAML").contains("line ");
        assertThat(tags(current, "Qubit error correction")).as("still the last valid taxonomy").containsExactly("quantum");
    }

    @Test
    void aTaxonomyThatCannotBePutInUseIsRefusedAndSavingWithoutARuleChangeIsNoChange(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("taxonomy.yaml");
        write(file, V1, 0);
        CurrentTaxonomy current = new CurrentTaxonomy(Taxonomy.load(file), file);
        write(file, "# a comment only\n" + V1, 10);
        assertThat(current.reloadIfChanged(t -> { })).as("comments do not change the version").isInstanceOf(CurrentTaxonomy.Change.Unchanged.class);
        write(file, V2, 20);
        AtomicInteger tries = new AtomicInteger();
        CurrentTaxonomy.Change change = current.reloadIfChanged(t -> {
            tries.incrementAndGet();
            throw new IllegalStateException("cannot create the topics of its tags");
        });
        assertThat(change).isInstanceOf(CurrentTaxonomy.Change.Refused.class);
        assertThat(tries).hasValue(1);
        assertThat(current.taxonomy().tagNames()).containsExactly("agents");
    }

    @Test
    void aChangeUnderTheSameDeclaredVersionIsRefusedNotIgnored(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("taxonomy.yaml");
        write(file, "version: team-1\n" + V1, 0);
        CurrentTaxonomy current = new CurrentTaxonomy(Taxonomy.load(file), file);
        write(file, "version: team-1\n# only a comment\n" + V1, 10);
        assertThat(current.reloadIfChanged(t -> { })).isInstanceOf(CurrentTaxonomy.Change.Unchanged.class);
        // A new tag under the same declared version: records would carry 'team-1' for two sets of rules.
        write(file, "version: team-1\n" + V2, 20);
        CurrentTaxonomy.Change change = current.reloadIfChanged(t -> { });
        assertThat(change).isInstanceOf(CurrentTaxonomy.Change.Refused.class);
        assertThat(((CurrentTaxonomy.Change.Refused) change).reason()).contains("declared version 'team-1' did not").contains("raise 'version'");
        assertThat(current.taxonomy().tagNames()).containsExactly("agents");
        write(file, "version: team-2\n" + V2, 30);
        assertThat(current.reloadIfChanged(t -> { })).isInstanceOf(CurrentTaxonomy.Change.Loaded.class);
        assertThat(current.taxonomy().version()).isEqualTo("team-2");
        assertThat(tags(current, "Qubit error correction")).containsExactly("quantum");
    }

    @Test
    void aDeclaredVersionIsTheVersion() {
        Taxonomy t = Taxonomy.parse(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("version", "research-2026-12")
                .set("tags", new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode()
                        .add(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("name", "agents")
                                .set("keywords", new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode().add("agent")))), "test");
        assertThat(t.version()).isEqualTo("research-2026-12");
        assertThat(Taxonomy.defaults().version()).startsWith("sha256:").hasSize(19);
    }

    private static final String WITH_EXAMPLES = "tags:\n  - name: agents\n    keywords: [agent]\n  - name: baking\n    keywords: [bread]\n"
            + "examples: examples.jsonl\n";

    /** Items about baking that mostly never say "bread", and items that are not about baking. */
    private static String examples(String... extraLines) {
        StringBuilder out = new StringBuilder();
        String[] baking = {"Feeding a sourdough starter", "Bread flour and sourdough hydration", "Shaping a sourdough loaf",
            "Why sourdough crumb is open", "Rye sourdough in a cold kitchen", "Scoring bread before the oven", "Sourdough discard crackers",
            "A sourdough levain timetable"};
        String[] other = {"An agent that books flights", "Tool use for coding agents", "Quarterly earnings of a bank", "Rain in the forecast",
            "A new phone camera", "Agent memory across sessions", "Football results", "Train timetables change"};
        for (String title : baking) {
            out.append("{\"title\": \"").append(title).append("\", \"summary\": \"\", \"tags\": [\"baking\"]}\n");
        }
        for (String title : other) {
            out.append("{\"title\": \"").append(title).append("\", \"summary\": \"\", \"tags\": ").append(title.contains("gent") ? "[\"agents\"]" : "[]")
                    .append("}\n");
        }
        for (String line : extraLines) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    @Test
    void examplesTeachATagTheLexiconMissesAndEditingThemIsATaxonomyChange(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("taxonomy.yaml");
        Path examples = dir.resolve("examples.jsonl");
        write(file, WITH_EXAMPLES, 0);
        write(examples, examples(), 0);
        CurrentTaxonomy current = new CurrentTaxonomy(Taxonomy.load(file), file);
        assertThat(current.taxonomy().exampleCount()).isEqualTo(16);
        assertThat(current.taxonomy().summary()).as("agents has three examples, baking eight").contains("a learned part for 1 of them from 16 examples");

        // "sourdough" is in no term of the lexicon; the examples taught it.
        String title = "Sourdough starter troubleshooting";
        assertThat(new Tagger(current.taxonomy().withoutLearnedPart()).tag(title, "")).isEmpty();
        List<TagExplanation> tags = current.tagger().tag(title, "");
        assertThat(tags).extracting(TagExplanation::getTag).containsExactly("baking");
        assertThat(tags.get(0).getMatchedTerms()).first(org.assertj.core.api.InstanceOfAssertFactories.STRING).startsWith("learned \"sourdough\" +");
        assertThat(tags(current, "Quarterly results of a phone maker")).isEmpty();

        // Editing the examples alone is a change: a new version, put in use without a restart.
        String v1 = current.taxonomy().version();
        write(examples, examples("{\"title\": \"Proofing sourdough overnight\", \"tags\": [\"baking\"]}"), 10);
        assertThat(current.reloadIfChanged(t -> { })).isInstanceOf(CurrentTaxonomy.Change.Loaded.class);
        assertThat(current.taxonomy().version()).isNotEqualTo(v1);
        assertThat(current.taxonomy().exampleCount()).isEqualTo(17);

        // A bad example is refused by its line, and the examples in use stay.
        String v2 = current.taxonomy().version();
        write(examples, examples("{\"title\": \"Croissant lamination\", \"tags\": [\"pastry\"]}", "{\"title\": \"no tags\"}", "not json"), 20);
        CurrentTaxonomy.Change change = current.reloadIfChanged(t -> { });
        assertThat(change).isInstanceOf(CurrentTaxonomy.Change.Refused.class);
        assertThat(((CurrentTaxonomy.Change.Refused) change).reason())
                .contains("examples examples.jsonl line 17: tag 'pastry' is not defined in the taxonomy")
                .contains("line 18: needs \"tags\"").contains("line 19: not valid JSON").contains("keeping taxonomy " + v2);
        assertThat(current.taxonomy().version()).isEqualTo(v2);
        assertThat(tags(current, title)).containsExactly("baking");

        // Examples that are gone: refused, with the file named.
        Files.delete(examples);
        assertThat(((CurrentTaxonomy.Change.Refused) current.reloadIfChanged(t -> { })).reason()).contains("examples.jsonl");
        assertThat(tags(current, title)).containsExactly("baking");
    }
}
