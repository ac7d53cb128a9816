package dev.digestflow.enrich.retag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.digestflow.enrich.taxonomy.Tagger;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.schema.TagExplanation;
import dev.digestflow.schema.TaggedItem;

/**
 * What {@code ./digestflow retag} changes, decided apart from Kafka: for each item already tagged
 * (its latest record on the tagged topic), the current taxonomy's tags. An item whose tags change
 * gets a new version of its record, same key, same item and first-seen time, new tags, explanations,
 * tagging time and taxonomy version: an update that subscribers and the sink apply over the old one,
 * never a new item. Items whose tags stay are left alone, so running retag twice changes nothing the
 * second time.
 */
public final class Retagging {

    /** One item's new record, with what changed. */
    public record Update(String key, TaggedItem record, List<String> added, List<String> removed) {
    }

    /** The updates and, per tag, how many items gained or lost it. */
    public record Plan(List<Update> updates, int examined, Map<String, int[]> perTag) {

        /** A table of the changes per tag (gained, lost). */
        public String table() {
            StringBuilder out = new StringBuilder(String.format(java.util.Locale.ROOT, "%-26s %7s %7s%n", "tag", "gained", "lost"));
            perTag.forEach((tag, c) -> out.append(String.format(java.util.Locale.ROOT, "%-26s %7d %7d%n", tag, c[0], c[1])));
            return out.toString();
        }
    }

    private Retagging() {
    }

    /**
     * @param latestByKey each item's latest record on the tagged topic, by key
     * @param since only items first seen at or after this instant (null: all)
     */
    public static Plan plan(Map<String, TaggedItem> latestByKey, Tagger tagger, Instant since, Instant now) {
        List<Update> updates = new ArrayList<>();
        Map<String, int[]> perTag = new TreeMap<>();
        int examined = 0;
        for (Map.Entry<String, TaggedItem> e : latestByKey.entrySet()) {
            TaggedItem old = e.getValue();
            if (since != null && old.getFirstSeenAt().isBefore(since)) {
                continue;
            }
            examined++;
            List<TagExplanation> explanations = tagger.tag(old.getItem().getTitle(), old.getItem().getSummary());
            List<String> tags = explanations.isEmpty() ? List.of(Taxonomy.UNTAGGED) : explanations.stream().map(TagExplanation::getTag).toList();
            if (new TreeSet<>(tags).equals(new TreeSet<>(old.getTags()))) {
                continue;
            }
            List<String> added = tags.stream().filter(t -> !old.getTags().contains(t)).toList();
            List<String> removed = old.getTags().stream().filter(t -> !tags.contains(t)).toList();
            added.forEach(t -> perTag.computeIfAbsent(t, k -> new int[2])[0]++);
            removed.forEach(t -> perTag.computeIfAbsent(t, k -> new int[2])[1]++);
            TaggedItem next = TaggedItem.newBuilder(old).setTags(tags).setExplanations(explanations).setTaggedAt(now)
                    .setTaxonomyVersion(tagger.taxonomy().version()).build();
            updates.add(new Update(e.getKey(), next, added, removed));
        }
        return new Plan(List.copyOf(updates), examined, new LinkedHashMap<>(perTag));
    }
}
