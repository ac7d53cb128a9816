package dev.digestflow.enrich.retag;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.digestflow.enrich.taxonomy.Tagger;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.SourceRef;
import dev.digestflow.schema.TaggedItem;
import dev.digestflow.schema.id.ItemIds;

class RetaggingTest {

    private static Taxonomy taxonomy(String yaml) throws Exception {
        return Taxonomy.parse(new ObjectMapper(new YAMLFactory()).readTree(yaml), "test");
    }

    private static TaggedItem tagged(String title, List<String> tags, Instant firstSeen) {
        DigestItem item = DigestItem.newBuilder().setItemId(ItemIds.of(title)).setTitle(title).setSummary("s").setAuthors(List.of())
                .setSource(SourceRef.newBuilder().setFile("f").setSha256("ab".repeat(32)).setFormat("markdown").setOrdinal(0).setLine(1).build())
                .setIngestedAt(firstSeen).build();
        return TaggedItem.newBuilder().setItem(item).setTags(tags).setExplanations(List.of()).setFirstSeenAt(firstSeen).setTaggedAt(firstSeen)
                .setTaxonomyVersion("old").build();
    }

    @Test
    void onlyItemsWhoseTagsChangeGetANewVersionOfTheirRecordKeepingItemAndFirstSeen() throws Exception {
        Taxonomy next = taxonomy("tags:\n  - name: agents\n    keywords: [agent]\n  - name: quantum\n    keywords: [qubit]\n");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Map<String, TaggedItem> latest = new LinkedHashMap<>();
        latest.put("a", tagged("An agent for qubit calibration", List.of("agents"), t0));
        latest.put("b", tagged("An agent that books flights", List.of("agents"), t0));
        latest.put("c", tagged("Qubit noise, measured", List.of("untagged"), t0.plusSeconds(86_400)));
        Instant now = Instant.parse("2026-02-01T00:00:00Z");
        Retagging.Plan plan = Retagging.plan(latest, new Tagger(next), null, now);
        assertThat(plan.examined()).isEqualTo(3);
        assertThat(plan.updates()).extracting(Retagging.Update::key).containsExactly("a", "c");
        Retagging.Update a = plan.updates().get(0);
        assertThat(a.record().getTags()).containsExactlyInAnyOrder("agents", "quantum");
        assertThat(a.added()).containsExactly("quantum");
        assertThat(a.record().getItem()).isEqualTo(latest.get("a").getItem());
        assertThat(a.record().getFirstSeenAt()).isEqualTo(t0);
        assertThat(a.record().getTaggedAt()).isEqualTo(now);
        assertThat(a.record().getTaxonomyVersion()).isEqualTo(next.version());
        assertThat(plan.updates().get(1).removed()).containsExactly("untagged");
        assertThat(plan.perTag()).containsKeys("quantum", "untagged");
        assertThat(plan.perTag().get("quantum")).containsExactly(2, 0);
        assertThat(plan.table()).contains("quantum");

        // --since: only items first seen from then on.
        assertThat(Retagging.plan(latest, new Tagger(next), t0.plusSeconds(3600), now).updates()).extracting(Retagging.Update::key).containsExactly("c");
        // Applied once, a second run changes nothing.
        Map<String, TaggedItem> after = new LinkedHashMap<>(latest);
        plan.updates().forEach(u -> after.put(u.key(), u.record()));
        assertThat(Retagging.plan(after, new Tagger(next), null, now).updates()).isEmpty();
    }
}
