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

    /**
     * Feed text fields often carry HTML; the events carry plain text: every tag ({@code <[^<>]*>}) and
     * every run of ASCII whitespace becomes one space, six common entities are decoded, the ends are
     * stripped. Hand-written loops, not regexes: this runs on every title and summary, and the two
     * {@code replaceAll}s were a seventh of a feed's parse (JMH stack profile). A run of '<' without '>'
     * is still scanned once, not once per '<'.
     */
    static String plain(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder noTags = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '<') {
                int end = i + 1;
                while (end < s.length() && s.charAt(end) != '<' && s.charAt(end) != '>') {
                    end++;
                }
                if (end < s.length() && s.charAt(end) == '>') {
                    noTags.append(' ');
                    i = end + 1;
                    continue;
                }
            }
            noTags.append(c);
            i++;
        }
        String unescaped = noTags.indexOf("&") < 0 ? noTags.toString()
                : noTags.toString().replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                        .replace("&nbsp;", " ").replace("&amp;", "&");
        StringBuilder out = new StringBuilder(unescaped.length());
        boolean space = false;
        for (int k = 0; k < unescaped.length(); k++) {
            char c = unescaped.charAt(k);
            if (asciiSpace(c)) {
                space = true;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
        }
        if (space) {
            out.append(' ');
        }
        return out.toString().strip();
    }

    /** The line of each {@code <item} or {@code <entry} start tag (the name followed by ASCII whitespace or '>'), in order. */
    static List<Integer> entryLines(String text) {
        List<Integer> lines = new ArrayList<>();
        int line = 1;
        int pos = 0;
        for (int lt = text.indexOf('<'); lt >= 0; lt = text.indexOf('<', lt + 1)) {
            int nameEnd = text.startsWith("item", lt + 1) ? lt + 5 : text.startsWith("entry", lt + 1) ? lt + 6 : -1;
            if (nameEnd < 0 || nameEnd >= text.length() || !(text.charAt(nameEnd) == '>' || asciiSpace(text.charAt(nameEnd)))) {
                continue;
            }
            // indexOf, not charAt per character: a vectorized scan, and feeds with typographic quotes are UTF-16 strings.
            for (int nl = text.indexOf('\n', pos); nl >= 0 && nl < lt; nl = text.indexOf('\n', nl + 1)) {
                line++;
            }
            pos = lt;
            lines.add(line);
        }
        return lines;
    }

    /** Java's regex {@code \s}: space, tab, newline, vertical tab, form feed, carriage return. */
    private static boolean asciiSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
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
