package dev.digestflow.ingest.parse;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.digestflow.ingest.parse.format.BlogListingParser;
import dev.digestflow.ingest.parse.format.DailyPapersParser;
import dev.digestflow.ingest.parse.format.FeedXmlParser;
import dev.digestflow.ingest.parse.format.JsonFeedParser;
import dev.digestflow.ingest.parse.format.JsonLinesParser;
import dev.digestflow.ingest.parse.format.MarkdownNewsletterParser;
import dev.digestflow.ingest.parse.format.TopicHubParser;

/**
 * Holds the parsers and picks one by content, never by file extension. The order matters: the page
 * formats have precise markers and go first; Markdown, whose markers are the loosest, goes last.
 */
public final class ParserRegistry {

    private static final Pattern HTML = Pattern.compile("^\\s*(?:<!doctype\\s+html|<html[\\s>])", Pattern.CASE_INSENSITIVE);
    private static final Pattern XML_ROOT = Pattern.compile("<([A-Za-z_][\\w:.-]*)[\\s>/]");

    private final List<DigestParser> parsers;

    public ParserRegistry(List<DigestParser> parsers) {
        this.parsers = List.copyOf(parsers);
    }

    /** Every built-in format. */
    public static ParserRegistry defaults() {
        return new ParserRegistry(List.of(new TopicHubParser(), new DailyPapersParser(), new BlogListingParser(),
                new JsonFeedParser(), new JsonLinesParser(), new FeedXmlParser(), new MarkdownNewsletterParser()));
    }

    public List<String> formats() {
        return parsers.stream().map(DigestParser::format).toList();
    }

    /** Detects the format and parses; the exception names the detected format, or the ones tried. */
    public ParseResult parse(DigestText text) throws DigestParseException {
        return parserFor(text).parse(text);
    }

    /** The parser of the text's format, by content; the exception says what the text looks like instead. */
    public DigestParser parserFor(DigestText text) throws DigestParseException {
        for (DigestParser parser : parsers) {
            if (parser.sniff(text)) {
                return parser;
            }
        }
        throw unrecognized(text);
    }

    private DigestParseException unrecognized(DigestText text) {
        String tried = "tried: " + String.join(", ", formats());
        String head = text.text().length() > 2048 ? text.text().substring(0, 2048) : text.text();
        if (HTML.matcher(head).find()) {
            return DigestParseException.atLine(null, 1, "this is an HTML page, not a digest (" + tried + ")",
                    "Save the page's visible text (select all, copy, paste into a .txt file), or use the site's RSS/Atom feed.");
        }
        if (head.stripLeading().startsWith("<")) {
            Matcher root = XML_ROOT.matcher(head.replaceAll("<\\?[^>]*\\?>", "").replaceAll("<!--.*?-->", ""));
            String name = root.find() ? root.group(1) : "?";
            return DigestParseException.atLine(null, 1, "XML whose root element is <" + name + ">, not an RSS or Atom feed (" + tried + ")",
                    "Only RSS (<rss>, <rdf:RDF>) and Atom (<feed>) XML are digests.");
        }
        String first = text.firstNonBlankLine();
        return DigestParseException.atLine(null, 1, "not a recognized digest format (" + tried + "); the file starts with '"
                + (first.length() > 60 ? first.substring(0, 57) + "..." : first) + "'",
                "See the README's list of formats: " + formats().stream().map(f -> f.toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ".");
    }
}
