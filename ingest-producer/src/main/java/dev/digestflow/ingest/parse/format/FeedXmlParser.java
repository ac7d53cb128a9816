package dev.digestflow.ingest.parse.format;

import java.io.StringReader;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rometools.rome.feed.synd.SyndContent;
import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.feed.synd.SyndPerson;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedInput;

import dev.digestflow.ingest.parse.DigestParseException;
import dev.digestflow.ingest.parse.DigestParser;
import dev.digestflow.ingest.parse.DigestText;
import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParseWarning;
import dev.digestflow.ingest.parse.ParsedItem;

/**
 * RSS 0.9x/1.0/2.0 and Atom through Rome. Rome's input refuses DOCTYPE declarations by default, which
 * shuts out external entities and entity-expansion bombs; we keep it that way.
 */
public final class FeedXmlParser implements DigestParser {

    public static final String RSS = "rss";
    public static final String ATOM = "atom";
    private static final Pattern ROOT = Pattern.compile("<(rss|feed|rdf:RDF)[\\s>]");
    private static final Pattern ENTRY_START = Pattern.compile("<(item|entry)[\\s>]");
    /** An HTML tag. '<' is excluded inside, so a run of '<' without '>' is scanned once, not once per '<'. */
    private static final Pattern TAG = Pattern.compile("<[^<>]*>");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    @Override
    public String format() {
        return "rss/atom";
    }

    @Override
    public boolean sniff(DigestText text) {
        String head = text.text().length() > 4096 ? text.text().substring(0, 4096) : text.text();
        String first = text.firstNonBlankLine();
        return first.startsWith("<") && ROOT.matcher(head).find();
    }

    @Override
    public ParseResult parse(DigestText text) throws DigestParseException {
        Matcher root = ROOT.matcher(text.text());
        String format = root.find() && root.group(1).equals("feed") ? ATOM : RSS;
        SyndFeed feed;
        try {
            feed = read(text.text(), false);
        } catch (FeedException | IllegalArgumentException wellFormedFirst) {
            try {
                // Rome's XML healer (text before the declaration, HTML entities such as &nbsp;) reads each character through
                // a state machine: most of a feed's parse time when always on. Only feeds that need it pay for it.
                feed = read(text.text(), true);
            } catch (FeedException | IllegalArgumentException e) {
                throw DigestParseException.atLine(format, lineOf(e.getMessage()), "not a readable " + format.toUpperCase(Locale.ROOT)
                        + " feed: " + e.getMessage(), "Check that the XML is complete and well-formed. DOCTYPE declarations are refused for safety.");
            }
        }
        List<Integer> entryLines = entryLines(text.text());
        List<ParsedItem> items = new ArrayList<>();
        List<ParseWarning> warnings = new ArrayList<>();
        List<SyndEntry> entries = feed.getEntries();
        for (int n = 0; n < entries.size(); n++) {
            SyndEntry e = entries.get(n);
            int line = n < entryLines.size() ? entryLines.get(n) : 1;
            String title = plain(e.getTitle());
            if (title.isEmpty()) {
                warnings.add(new ParseWarning(line, "entry " + (n + 1) + " has no title and cannot be identified; skipped"));
                continue;
            }
            Date date = e.getPublishedDate() != null ? e.getPublishedDate() : e.getUpdatedDate();
            LocalDate published = date == null ? null : LocalDate.ofInstant(date.toInstant(), ZoneOffset.UTC);
            List<String> authors = new ArrayList<>();
            for (SyndPerson p : e.getAuthors()) {
                if (p.getName() != null && !p.getName().isBlank()) {
                    authors.add(p.getName().strip());
                }
            }
            if (authors.isEmpty() && e.getAuthor() != null && !e.getAuthor().isBlank()) {
                authors.add(e.getAuthor().strip());
            }
            items.add(ParsedItem.builder(title, line)
                    .summary(summary(e))
                    .url(e.getLink())
                    .authors(authors)
                    .published(published, date == null ? null : date.toInstant().toString())
                    .collection(feed.getTitle() == null ? null : plain(feed.getTitle()))
                    .build());
        }
        if (items.isEmpty()) {
            throw DigestParseException.atLine(format, 1, "the feed has no entries with a title", "An empty feed has nothing to ingest.");
        }
        return new ParseResult(format, items, warnings);
    }

    /** DOCTYPE declarations refused either way: no external entities, no entity-expansion bombs. */
    private static SyndFeed read(String xml, boolean healer) throws FeedException {
        SyndFeedInput input = new SyndFeedInput(false, Locale.ENGLISH);
        input.setAllowDoctypes(false);
        input.setXmlHealerOn(healer);
        return input.build(new StringReader(xml));
    }

    private static String summary(SyndEntry e) {
        if (e.getDescription() != null && e.getDescription().getValue() != null) {
            return plain(e.getDescription().getValue());
        }
        for (SyndContent c : e.getContents()) {
            if (c.getValue() != null && !c.getValue().isBlank()) {
                return plain(c.getValue());
            }
        }
        return null;
    }

    /** Feed text fields often carry HTML; the events carry plain text. */
    private static String plain(String s) {
        if (s == null) {
            return "";
        }
        String noTags = TAG.matcher(s).replaceAll(" ");
        String unescaped = noTags.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", " ").replace("&amp;", "&");
        return SPACES.matcher(unescaped).replaceAll(" ").strip();
    }

    private static List<Integer> entryLines(String text) {
        List<Integer> lines = new ArrayList<>();
        Matcher m = ENTRY_START.matcher(text);
        int line = 1;
        int pos = 0;
        while (m.find()) {
            // indexOf, not charAt per character: a vectorized scan, and feeds with typographic quotes are UTF-16 strings.
            for (int nl = text.indexOf('\n', pos); nl >= 0 && nl < m.start(); nl = text.indexOf('\n', nl + 1)) {
                line++;
            }
            pos = m.start();
            lines.add(line);
        }
        return lines;
    }

    private static int lineOf(String saxMessage) {
        if (saxMessage != null) {
            Matcher m = Pattern.compile("line (\\d+)").matcher(saxMessage);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return -1;
    }
}
