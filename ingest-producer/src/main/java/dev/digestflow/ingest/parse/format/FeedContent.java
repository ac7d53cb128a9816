package dev.digestflow.ingest.parse.format;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndPerson;

/**
 * What {@link FeedXmlParser} takes from an RSS or Atom feed, whichever reader read it: {@link StaxFeedReader}
 * for the feeds it reads exactly as Rome does, Rome for the rest. Text is as the feed has it (HTML, untrimmed):
 * the parser makes it plain.
 *
 * @param title the feed's title, null if it has none
 * @param entries every item or entry, in document order, those without a title included
 */
record FeedContent(String title, List<Entry> entries) {

    /**
     * @param title null if the entry has none
     * @param summary the description (RSS) or summary (Atom) if present, else the first non-blank content, else null
     * @param link the entry's link, null if none
     * @param authors the non-blank author names, stripped
     * @param published the published date, else the updated date; null if neither parses
     */
    record Entry(String title, String summary, String link, List<String> authors, Instant published) {
    }

    /** The same fields from Rome's model, by the rules the parser applied to it before the StAX reader existed. */
    static FeedContent of(SyndFeed feed) {
        return new FeedContent(feed.getTitle(), feed.getEntries().stream().map(FeedContent::entry).toList());
    }

    private static Entry entry(SyndEntry e) {
        Date date = e.getPublishedDate() != null ? e.getPublishedDate() : e.getUpdatedDate();
        List<String> authors = new ArrayList<>();
        for (SyndPerson p : e.getAuthors()) {
            if (p.getName() != null && !p.getName().isBlank()) {
                authors.add(p.getName().strip());
            }
        }
        if (authors.isEmpty() && e.getAuthor() != null && !e.getAuthor().isBlank()) {
            authors.add(e.getAuthor().strip());
        }
        return new Entry(e.getTitle(), summary(e), e.getLink(), List.copyOf(authors), date == null ? null : date.toInstant());
    }

    private static String summary(SyndEntry e) {
        if (e.getDescription() != null && e.getDescription().getValue() != null) {
            return e.getDescription().getValue();
        }
        for (SyndContent c : e.getContents()) {
            if (c.getValue() != null && !c.getValue().isBlank()) {
                return c.getValue();
            }
        }
        return null;
    }
}
