package dev.digestflow.enrich.topology;

import java.time.Instant;
import java.util.List;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

import dev.digestflow.enrich.taxonomy.CurrentTaxonomy;
import dev.digestflow.enrich.taxonomy.Tagger;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.TagExplanation;
import dev.digestflow.schema.TaggedItem;

/**
 * Tags a first-seen item. {@code firstSeenAt} is the record's timestamp (the dedup processor only
 * forwards first occurrences), {@code taggedAt} the processing wall-clock time. An item matching no
 * tag gets {@value Taxonomy#UNTAGGED}, so it stays visible on dashboards.
 */
final class TaggingProcessor implements FixedKeyProcessor<String, DigestItem, TaggedItem> {

    private final CurrentTaxonomy taxonomy;
    private final EnrichMetrics metrics;
    private FixedKeyProcessorContext<String, TaggedItem> context;

    TaggingProcessor(CurrentTaxonomy taxonomy, EnrichMetrics metrics) {
        this.taxonomy = taxonomy;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, TaggedItem> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, DigestItem> record) {
        DigestItem item = record.value();
        // One read of the current taxonomy per record: a reload never tags one record with two versions.
        Tagger tagger = taxonomy.tagger();
        List<TagExplanation> explanations = tagger.tag(item.getTitle(), item.getSummary());
        List<String> tags = explanations.isEmpty() ? List.of(Taxonomy.UNTAGGED) : explanations.stream().map(TagExplanation::getTag).toList();
        tags.forEach(metrics::tagged);
        TaggedItem tagged = TaggedItem.newBuilder()
                .setItem(item)
                .setTags(tags)
                .setExplanations(explanations)
                .setFirstSeenAt(Instant.ofEpochMilli(record.timestamp()))
                .setTaggedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .setTaxonomyVersion(tagger.taxonomy().version())
                .build();
        context.forward(record.withValue(tagged));
    }
}
