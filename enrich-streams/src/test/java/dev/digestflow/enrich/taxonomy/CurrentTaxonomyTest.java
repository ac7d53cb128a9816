package dev.digestflow.enrich.taxonomy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
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
    void aDeclaredVersionIsTheVersion() {
        Taxonomy t = Taxonomy.parse(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("version", "research-2026-12")
                .set("tags", new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode()
                        .add(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("name", "agents")
                                .set("keywords", new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode().add("agent")))), "test");
        assertThat(t.version()).isEqualTo("research-2026-12");
        assertThat(Taxonomy.defaults().version()).startsWith("sha256:").hasSize(19);
    }
}
