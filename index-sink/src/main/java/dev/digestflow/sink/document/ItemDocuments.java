package dev.digestflow.sink.document;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.SourceRef;
import dev.digestflow.schema.TagExplanation;
import dev.digestflow.schema.TaggedItem;

/**
 * The pure edge converter: a {@link TaggedItem} becomes one bulk index operation whose {@code _id} is
 * the itemId, so a replay or a re-delivery overwrites the same document and never adds a second one.
 * Values pass through as they are: a bad value (say an unparseable {@code published}) is for
 * Elasticsearch to reject, so it is dead-lettered with ES's own reason rather than silently fixed here.
 */
public final class ItemDocuments {

    private ItemDocuments() {
    }

    /** The document body, field names as in the index template. Dates are ISO-8601 strings. */
    public static Map<String, Object> toDocument(TaggedItem tagged, Instant indexedAt) {
        Objects.requireNonNull(tagged, "tagged");
        DigestItem item = Objects.requireNonNull(tagged.getItem(), "tagged.item");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("itemId", item.getItemId());
        doc.put("title", item.getTitle());
        putIfPresent(doc, "summary", item.getSummary());
        putIfPresent(doc, "url", item.getUrl());
        doc.put("authors", List.copyOf(item.getAuthors()));
        putIfPresent(doc, "authorCount", item.getAuthorCount());
        putIfPresent(doc, "published", item.getPublished());
        putIfPresent(doc, "publishedText", item.getPublishedText());
        putIfPresent(doc, "readMinutes", item.getReadMinutes());
        putIfPresent(doc, "upvotes", item.getUpvotes());
        putIfPresent(doc, "section", item.getSection());
        putIfPresent(doc, "collection", item.getCollection());
        SourceRef source = item.getSource();
        if (source != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("file", source.getFile());
            s.put("sha256", source.getSha256());
            s.put("format", source.getFormat());
            s.put("ordinal", String.valueOf(source.getOrdinal()));
            s.put("line", String.valueOf(source.getLine()));
            doc.put("source", s);
        }
        doc.put("tags", List.copyOf(tagged.getTags()));
        doc.put("tagCount", tagged.getTags().size());
        if (tagged.getTaxonomyVersion() != null) {
            doc.put("taxonomyVersion", tagged.getTaxonomyVersion());
        }
        List<Map<String, Object>> explanations = new ArrayList<>();
        // Flat "tag: term" pairs too: dashboards (Lens) cannot pair fields inside an object array.
        Set<String> pairs = new LinkedHashSet<>();
        for (TagExplanation e : tagged.getExplanations()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("tag", e.getTag());
            x.put("score", e.getScore());
            x.put("matchedTerms", List.copyOf(e.getMatchedTerms()));
            explanations.add(x);
            e.getMatchedTerms().forEach(term -> pairs.add(e.getTag() + ": " + term));
        }
        doc.put("explanations", explanations);
        doc.put("matchedTerms", List.copyOf(pairs));
        putIfPresent(doc, "firstSeenAt", iso(tagged.getFirstSeenAt()));
        putIfPresent(doc, "ingestedAt", iso(item.getIngestedAt()));
        putIfPresent(doc, "taggedAt", iso(tagged.getTaggedAt()));
        doc.put("indexedAt", indexedAt.toString());
        return doc;
    }

    /**
     * The bulk operation. With an external version (the Kafka offset), a late retry or a replay never
     * overwrites a newer document: ES answers a version conflict, which the sink ignores.
     * {@code require_alias} stops ES from auto-creating an unmapped index if the alias is deleted.
     */
    public static BulkOperation toOperation(TaggedItem tagged, String alias, Long externalVersion, Instant indexedAt) {
        String id = tagged.getItem().getItemId();
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("item has no itemId");
        }
        Map<String, Object> doc = toDocument(tagged, indexedAt);
        return BulkOperation.of(b -> b.index(i -> {
            i.index(alias).id(id).requireAlias(true).document(doc);
            if (externalVersion != null) {
                i.version(externalVersion).versionType(VersionType.External);
            }
            return i;
        }));
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    private static void putIfPresent(Map<String, Object> doc, String field, Object value) {
        if (value != null) {
            doc.put(field, value);
        }
    }
}
