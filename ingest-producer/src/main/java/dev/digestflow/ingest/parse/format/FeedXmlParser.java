package dev.digestflow.ingest.parse.format;

import java.io.StringReader;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.SyndFeedInput;

import dev.digestflow.ingest.parse.DigestParseException;
import dev.digestflow.ingest.parse.DigestParser;
import dev.digestflow.ingest.parse.DigestText;
import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParseWarning;
import dev.digestflow.ingest.parse.ParsedItem;

/**
 * RSS 0.9x/1.0/2.0 and Atom. Well-formed RSS 2.0 and Atom 1.0 are read by {@link StaxFeedReader} in one StAX pass,
 * the rest by Rome, with the same meaning (see the reader). Neither reads a DOCTYPE, which shuts out external
 * entities and entity-expansion bombs: the StAX reader declines it and Rome's input refuses it, as it does by default.
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
        FeedContent feed = StaxFeedReader.read(text.text());
        if (feed == null) {
            feed = FeedContent.of(readWithRome(text.text(), format));
        }
        List<Integer> entryLines = entryLines(text.text());
        List<ParsedItem> items = new ArrayList<>();
        List<ParseWarning> warnings = new ArrayList<>();
        String collection = feed.title() == null ? null : plain(feed.title());
        for (int n = 0; n < feed.entries().size(); n++) {
            FeedContent.Entry e = feed.entries().get(n);
            int line = n < entryLines.size() ? entryLines.get(n) : 1;
            String title = plain(e.title());
            if (title.isEmpty()) {
                warnings.add(new ParseWarning(line, "entry " + (n + 1) + " has no title and cannot be identified; skipped"));
                continue;
            }
            Instant date = e.published();
            items.add(ParsedItem.builder(title, line)
                    .summary(e.summary() == null ? null : plain(e.summary()))
                    .url(e.link())
                    .authors(e.authors())
                    .published(date == null ? null : LocalDate.ofInstant(date, ZoneOffset.UTC), date == null ? null : date.toString())
                    .collection(collection)
                    .build());
        }
        if (items.isEmpty()) {
            throw DigestParseException.atLine(format, 1, "the feed has no entries with a title", "An empty feed has nothing to ingest.");
        }
        return new ParseResult(format, items, warnings);
    }

    /**
     * Rome, for the feeds {@link StaxFeedReader} declines: first without its XML healer, then, if that fails, with it.
     * The healer (text before the declaration, HTML entities such as &nbsp;) reads each character through a state
     * machine: most of a feed's parse time when always on, so only feeds that need it pay for it.
     */
    private static SyndFeed readWithRome(String xml, String format) throws DigestParseException {
        try {
            return read(xml, false);
        } catch (FeedException | IllegalArgumentException wellFormedFirst) {
            try {
                return read(xml, true);
            } catch (FeedException | IllegalArgumentException e) {
                throw DigestParseException.atLine(format, lineOf(e.getMessage()), "not a readable " + format.toUpperCase(Locale.ROOT)
                        + " feed: " + e.getMessage(), "Check that the XML is complete and well-formed. DOCTYPE declarations are refused for safety.");
            }
        }
    }

    /** DOCTYPE declarations refused either way: no external entities, no entity-expansion bombs. */
    static SyndFeed read(String xml, boolean healer) throws FeedException {
        SyndFeedInput input = new SyndFeedInput(false, Locale.ENGLISH);
        input.setAllowDoctypes(false);
        input.setXmlHealerOn(healer);
        return input.build(new StringReader(xml));
    }

    /**
     * Feed text fields often carry HTML; the events carry plain text: every tag ({@code <[^<>]*>}) and
     * every run of ASCII whitespace becomes one space, six common entities are decoded (after the tags are
     * gone, so an escaped {@code &lt;b&gt;} stays text), the ends are stripped. One pass, no regexes: this runs
     * on every title and summary, and was half of an RSS parse once the StAX reader replaced Rome (JFR of
     * {@code FeedParserBenchmark}). Text that is already plain, as most titles and many summaries are, is
     * returned as it is after one scan. A run of '<' without '>' is still scanned once, not once per '<'.
     */
    static String plain(String s) {
        if (s == null) {
            return "";
        }
        if (alreadyPlain(s)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '<') {
                int end = i + 1;
                while (end < n && s.charAt(end) != '<' && s.charAt(end) != '>') {
                    end++;
                }
                if (end < n && s.charAt(end) == '>') {
                    space = true;
                    i = end + 1;
                    continue;
                }
                i++;
            } else if (c == '&') {
                // The entities contain no '&', ';', '<' or '>' inside, so matching them left to right gives what
                // replacing each in turn gave: "&amp;lt;" is "&lt;", not "<".
                int entity = entityAt(s, i);
                if (entity >= 0) {
                    c = ENTITY_CHARS.charAt(entity);
                    i += ENTITIES[entity].length();
                } else {
                    i++;
                }
            } else {
                i++;
            }
            if (PlainText.asciiSpace(c)) {
                space = true;
                continue;
            }
            if (space && out.length() > 0) {
                out.append(' ');
            }
            space = false;
            out.append(c);
        }
        return out.toString().strip();
    }

    private static final String[] ENTITIES = {"&lt;", "&gt;", "&quot;", "&#39;", "&nbsp;", "&amp;"};
    private static final String ENTITY_CHARS = "<>\"' &";

    private static int entityAt(String s, int at) {
        for (int e = 0; e < ENTITIES.length; e++) {
            if (s.startsWith(ENTITIES[e], at)) {
                return e;
            }
        }
        return -1;
    }

    /** No tag or entity to remove, no whitespace to fold or strip: what {@link #plain} would return unchanged. */
    private static boolean alreadyPlain(String s) {
        int n = s.length();
        if (n == 0 || Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(n - 1))) {
            return n == 0;
        }
        char previous = 'x';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '<' || c == '&' || (c <= ' ' && PlainText.asciiSpace(c) && (c != ' ' || previous == ' '))) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    /** The line of each {@code <item} or {@code <entry} start tag (the name followed by ASCII whitespace or '>'), in order. */
    static List<Integer> entryLines(String text) {
        List<Integer> lines = new ArrayList<>();
        int line = 1;
        int pos = 0;
        for (int lt = text.indexOf('<'); lt >= 0; lt = text.indexOf('<', lt + 1)) {
            int nameEnd = text.startsWith("item", lt + 1) ? lt + 5 : text.startsWith("entry", lt + 1) ? lt + 6 : -1;
            if (nameEnd < 0 || nameEnd >= text.length() || !(text.charAt(nameEnd) == '>' || PlainText.asciiSpace(text.charAt(nameEnd)))) {
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
