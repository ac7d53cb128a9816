package dev.digestflow.ingest.parse;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One item as a parser found it, before it gets its identity and provenance (see
 * {@link DigestItems#toEvent}). Optional fields are null when the digest does not give them.
 *
 * @param line 1-based line where the item starts in the file
 */
public record ParsedItem(String title, String summary, String url, List<String> authors, Integer authorCount,
        LocalDate published, String publishedText, Integer readMinutes, Integer upvotes, String section,
        String collection, int line) {

    public ParsedItem {
        Objects.requireNonNull(title, "title");
        if (title.isBlank()) {
            throw new IllegalArgumentException("an item needs a title (line " + line + ")");
        }
        authors = authors == null ? List.of() : List.copyOf(authors);
    }

    /** A builder, because most formats fill only some of the fields. */
    public static Builder builder(String title, int line) {
        return new Builder(title, line);
    }

    public static final class Builder {
        private final String title;
        private final int line;
        private String summary;
        private String url;
        private List<String> authors = List.of();
        private Integer authorCount;
        private LocalDate published;
        private String publishedText;
        private Integer readMinutes;
        private Integer upvotes;
        private String section;
        private String collection;

        private Builder(String title, int line) {
            this.title = title.strip();
            this.line = line;
        }

        public Builder summary(String summary) {
            this.summary = summary == null || summary.isBlank() ? null : summary.strip();
            return this;
        }

        public Builder url(String url) {
            this.url = url == null || url.isBlank() ? null : url.strip();
            return this;
        }

        public Builder authors(List<String> authors) {
            this.authors = authors;
            return this;
        }

        public Builder authorCount(Integer authorCount) {
            this.authorCount = authorCount;
            return this;
        }

        public Builder published(LocalDate published, String publishedText) {
            this.published = published;
            this.publishedText = publishedText;
            return this;
        }

        public Builder readMinutes(Integer readMinutes) {
            this.readMinutes = readMinutes;
            return this;
        }

        public Builder upvotes(Integer upvotes) {
            this.upvotes = upvotes;
            return this;
        }

        public Builder section(String section) {
            this.section = section;
            return this;
        }

        public Builder collection(String collection) {
            this.collection = collection;
            return this;
        }

        /** The line the item starts at. */
        public int line() {
            return line;
        }

        public ParsedItem build() {
            return new ParsedItem(title, summary, url, authors, authorCount, published, publishedText, readMinutes,
                    upvotes, section, collection, line);
        }
    }
}
