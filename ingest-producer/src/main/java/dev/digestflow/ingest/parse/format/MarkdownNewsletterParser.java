package dev.digestflow.ingest.parse.format;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Heading;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

import dev.digestflow.ingest.parse.DigestParseException;
import dev.digestflow.ingest.parse.DigestParser;
import dev.digestflow.ingest.parse.DigestText;
import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParseWarning;
import dev.digestflow.ingest.parse.ParsedItem;

/**
 * Markdown newsletters through commonmark-java. Items are level-2+ headings followed by a paragraph
 * (the paragraph is the summary), and list entries that carry a link (the link text is the title,
 * the rest of the entry the summary). A heading followed by a list names the section of its entries;
 * the level-1 heading is the newsletter's title (the collection).
 */
public final class MarkdownNewsletterParser implements DigestParser {

    public static final String FORMAT = "markdown";
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+\\S");
    /** A list marker at the start of a line: '-', '*', '+' or 'N.' / 'N)', then white space. */
    private static final Pattern LIST_MARKER = Pattern.compile("^\\s*(?:[-*+]|\\d{1,9}[.)])\\s");
    /** What separates a list entry's link from its summary: dashes, colons, bars. */
    private static final String SEPARATORS = "—–:|-";
    private static final Parser PARSER = Parser.builder().includeSourceSpans(IncludeSourceSpans.BLOCKS).build();

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean sniff(DigestText text) {
        if (HEADING.matcher(text.text()).find()) {
            return true;
        }
        for (String line : text.lines()) {
            if (LIST_MARKER.matcher(line).lookingAt() && hasInlineLink(line)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a line holds {@code [text](destination)}, in one left-to-right pass. A regex such as
     * {@code .*\[[^\]]+\]\([^)]+\)} restarts its bracket scan at every '[' and takes quadratic time on a
     * line of brackets (0.3 s for 20,000 of them, minutes for a megabyte).
     */
    public static boolean hasInlineLink(String line) {
        int lastClose = line.lastIndexOf(')');
        int open = -1;
        for (int i = 0; i + 2 < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '[') {
                open = i;
            } else if (c == ']') {
                if (open >= 0 && i - open >= 2 && line.charAt(i + 1) == '(' && line.charAt(i + 2) != ')' && lastClose > i + 2) {
                    return true;
                }
                open = -1;
            }
        }
        return false;
    }

    @Override
    public ParseResult parse(DigestText text) throws DigestParseException {
        Node document = PARSER.parse(text.text());
        List<ParsedItem> items = new ArrayList<>();
        List<ParseWarning> warnings = new ArrayList<>();
        String collection = null;
        String section = null;
        for (Node node = document.getFirstChild(); node != null; node = node.getNext()) {
            if (node instanceof Heading h) {
                String title = text(h);
                if (h.getLevel() == 1) {
                    collection = title;
                    section = null;
                } else if (node.getNext() instanceof Paragraph p) {
                    items.add(ParsedItem.builder(title, line(h)).url(firstLink(h, p)).summary(text(p))
                            .section(section).collection(collection).build());
                    node = p;
                } else {
                    section = title;
                }
            } else if (node instanceof BulletList || node instanceof OrderedList) {
                for (Node li = node.getFirstChild(); li != null; li = li.getNext()) {
                    ParsedItem item = listEntry((ListItem) li, section, collection);
                    if (item != null) {
                        items.add(item);
                    }
                }
            }
        }
        if (items.isEmpty()) {
            throw DigestParseException.atLine(FORMAT, 1, "no items: no heading followed by a paragraph, and no list entry with a link",
                    "A newsletter item is '## Title' plus a paragraph, or '- [Title](url) — summary'.");
        }
        return new ParseResult(FORMAT, items, warnings);
    }

    private static ParsedItem listEntry(ListItem li, String section, String collection) {
        if (!(li.getFirstChild() instanceof Paragraph first)) {
            return null;
        }
        Link link = null;
        for (Node n = first.getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof Link l) {
                link = l;
                break;
            }
        }
        if (link == null) {
            return null;
        }
        String title = text(link);
        if (title.isBlank()) {
            return null;
        }
        StringBuilder rest = new StringBuilder();
        for (Node n = link.getNext(); n != null; n = n.getNext()) {
            rest.append(text(n));
        }
        for (Node n = first.getNext(); n != null; n = n.getNext()) {
            rest.append(' ').append(text(n));
        }
        String summary = withoutLeadingSeparators(rest.toString());
        return ParsedItem.builder(title, line(li)).url(link.getDestination()).summary(summary)
                .section(section).collection(collection).build();
    }

    /**
     * "— summary" or ": summary" without its separators. A loop, not {@code ^\\s*(?:[—–:|-]\\s*)+}:
     * Java's regex engine recurses once per repetition of a group, so 200,000 ':' overflow the stack.
     */
    static String withoutLeadingSeparators(String s) {
        int i = 0;
        while (i < s.length() && (Character.isWhitespace(s.charAt(i)) || SEPARATORS.indexOf(s.charAt(i)) >= 0)) {
            i++;
        }
        return s.substring(i).strip();
    }

    private static String firstLink(Node... nodes) {
        for (Node n : nodes) {
            LinkFinder finder = new LinkFinder();
            n.accept(finder);
            if (finder.destination != null) {
                return finder.destination;
            }
        }
        return null;
    }

    private static int line(Node n) {
        return n.getSourceSpans().isEmpty() ? -1 : n.getSourceSpans().get(0).getLineIndex() + 1;
    }

    /** The plain text of a node: text and code literals, line breaks as spaces. */
    static String text(Node node) {
        StringBuilder sb = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text text) {
                sb.append(text.getLiteral());
            }

            @Override
            public void visit(Code code) {
                sb.append(code.getLiteral());
            }

            @Override
            public void visit(SoftLineBreak softLineBreak) {
                sb.append(' ');
            }

            @Override
            public void visit(HardLineBreak hardLineBreak) {
                sb.append(' ');
            }
        });
        return PlainText.foldWhitespace(sb.toString());
    }

    private static final class LinkFinder extends AbstractVisitor {
        String destination;

        @Override
        public void visit(Link link) {
            if (destination == null) {
                destination = link.getDestination();
            }
        }
    }
}
