package dev.digestflow.ingest.parse;

import java.time.Instant;

import dev.digestflow.schema.DigestItem;
import dev.digestflow.schema.SourceRef;
import dev.digestflow.schema.id.ItemIds;

/** Turns a parsed item into the Avro event: identity from the title, provenance from the file. */
public final class DigestItems {

    private DigestItems() {
    }

    public static DigestItem toEvent(ParsedItem item, String fileName, String sha256, String format, int ordinal, Instant ingestedAt) {
        return DigestItem.newBuilder()
                .setItemId(ItemIds.of(item.title()))
                .setTitle(item.title())
                .setSummary(item.summary())
                .setUrl(item.url())
                .setAuthors(item.authors())
                .setAuthorCount(item.authorCount())
                .setPublished(item.published() == null ? null : item.published().toString())
                .setPublishedText(item.publishedText())
                .setReadMinutes(item.readMinutes())
                .setUpvotes(item.upvotes())
                .setSection(item.section())
                .setCollection(item.collection())
                .setSource(SourceRef.newBuilder().setFile(fileName).setSha256(sha256).setFormat(format)
                        .setOrdinal(ordinal).setLine(item.line()).build())
                .setIngestedAt(ingestedAt)
                .build();
    }
}
