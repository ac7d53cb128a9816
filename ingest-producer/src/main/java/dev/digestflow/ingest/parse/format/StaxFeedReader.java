package dev.digestflow.ingest.parse.format;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import com.rometools.rome.io.impl.Atom10Parser;

import dev.digestflow.ingest.parse.DigestParseException;

/**
 * RSS 2.0 and Atom 1.0 in one pass of the JDK's StAX reader, giving the same {@link FeedContent} as Rome.
 * Rome builds a JDOM tree from SAX, then its wire model, then its Synd model, and reads each date through up to
 * twenty fresh {@code SimpleDateFormat}s: a third of what this reader costs per byte. The rules below are Rome
 * 2.1's for the fields we read (first element of a name wins; a field's text is its own text and CDATA;
 * {@code dc:date} before {@code pubDate}; a permalink guid stands in for a missing link; the first alternate
 * link; the first {@code dc:creator}, else the RSS author). Where Rome's answer depends on more than that (a
 * DOCTYPE, other RSS versions, RSS 1.0, Atom 0.3, XHTML text, markup inside a field, relative links), this reader
 * declines and {@link FeedXmlParser} asks Rome, as it does for anything not well-formed: one meaning per feed,
 * whichever reader read it. {@code StaxFeedReaderTest} holds the two to the same answer on generated feeds.
 */
final class StaxFeedReader {

    static final String ATOM = "http://www.w3.org/2005/Atom";
    static final String DUBLIN_CORE = "http://purl.org/dc/elements/1.1/";
    static final String CONTENT = "http://purl.org/rss/1.0/modules/content/";

    /** A factory per parse thread: the JDK does not promise that one factory may make readers concurrently. */
    private static final ThreadLocal<XMLInputFactory> FACTORY = ThreadLocal.withInitial(() -> {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        // No DTD: no external entities and no entity expansion. A DOCTYPE is declined and Rome refuses it. An entity
        // the XML does not predefine (an HTML &nbsp;) is then an XMLStreamException, and Rome's healer reads that feed.
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return f;
    });

    /** A construct this reader leaves to Rome; not an error in the feed. */
    private static final class Declined extends Exception {
        Declined(String reason) {
            super(reason, null, false, false);
        }
    }

    private StaxFeedReader() {
    }

    /**
     * The feed's content, or null when Rome must read it (see the class comment).
     *
     * @throws DigestParseException for a well-formed RSS 2.0 document without a {@code <channel>}: Rome fails on it
     *         with a NullPointerException, which the user would see as a defect of ours rather than of the file
     */
    static FeedContent read(String xml) throws DigestParseException {
        try {
            return readOrDecline(xml);
        } catch (Declined | XMLStreamException e) {
            return null;
        }
    }

    /** Why {@link #read} returns null for this text, or null if it does not: for tests and debugging. */
    static String declineReason(String xml) throws DigestParseException {
        try {
            readOrDecline(xml);
            return null;
        } catch (Declined | XMLStreamException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static FeedContent readOrDecline(String xml) throws XMLStreamException, Declined, DigestParseException {
        XMLStreamReader r = FACTORY.get().createXMLStreamReader(new StringReader(xml));
        try {
            int event = r.next();
            while (event != XMLStreamConstants.START_ELEMENT) {
                if (event == XMLStreamConstants.DTD) {
                    throw new Declined("a DOCTYPE");
                }
                    event = r.next();
            }
            FeedContent content;
            if (r.getLocalName().equals("rss") && noNamespace(r)) {
                String version = r.getAttributeValue("", "version");
                if (version != null && !version.trim().startsWith("2.0")) {
                    throw new Declined("RSS version " + version);
                }
                content = rss(r);
            } else if (r.getLocalName().equals("feed") && ATOM.equals(r.getNamespaceURI())) {
                content = atom(r);
            } else {
                throw new Declined("root element " + r.getName());
            }
            while (r.hasNext()) {
                r.next(); // the rest must be well-formed too, as Rome requires
            }
            return content;
        } finally {
            r.close();
        }
    }

    /** At {@code <rss>}: the first channel's title and items; everything else skipped. */
    private static FeedContent rss(XMLStreamReader r) throws XMLStreamException, Declined, DigestParseException {
        FeedContent channel = null;
        while (nextChild(r)) {
            if (channel == null && r.getLocalName().equals("channel") && noNamespace(r)) {
                channel = channel(r);
            } else {
                skip(r);
            }
        }
        if (channel == null) {
            throw DigestParseException.atLine(FeedXmlParser.RSS, r.getLocation().getLineNumber(), "an RSS feed without a <channel>: no items to read",
                    "RSS 2.0 puts its items in <rss><channel><item>...</item></channel></rss>.");
        }
        return channel;
    }

    private static FeedContent channel(XMLStreamReader r) throws XMLStreamException, Declined {
        String title = null;
        boolean hasTitle = false;
        List<FeedContent.Entry> items = new ArrayList<>();
        while (nextChild(r)) {
            if (!noNamespace(r)) {
                skip(r);
            } else if (r.getLocalName().equals("item")) {
                items.add(item(r));
            } else if (!hasTitle && r.getLocalName().equals("title")) {
                title = text(r);
                hasTitle = true;
            } else {
                skip(r);
            }
        }
        return new FeedContent(title, items);
    }

    private static FeedContent.Entry item(XMLStreamReader r) throws XMLStreamException, Declined {
        Fields f = new Fields();
        while (nextChild(r)) {
            String ns = r.getNamespaceURI();
            String name = r.getLocalName();
            if (ns == null || ns.isEmpty()) {
                switch (name) {
                    case "title", "link", "description", "pubDate", "author" -> f.first(name, text(r));
                    case "guid" -> {
                        String permaLink = r.getAttributeValue("", "isPermaLink");
                        boolean first = f.first("guid", text(r));
                        if (first) {
                            f.guidIsPermaLink = permaLink == null || permaLink.equalsIgnoreCase("true");
                        }
                    }
                    default -> skip(r);
                }
            } else if (ns.equals(DUBLIN_CORE) && name.equals("creator")) {
                f.creators.add(text(r));
            } else if (ns.equals(DUBLIN_CORE) && name.equals("date")) {
                f.first("dc:date", text(r));
            } else if (ns.equals(CONTENT) && name.equals("encoded")) {
                f.first("content", text(r));
            } else {
                skip(r);
            }
        }
        String link = f.get("link");
        if (link == null && f.get("guid") != null && f.guidIsPermaLink) {
            link = f.get("guid");
        }
        String summary = f.get("description") != null ? f.get("description") : nonBlank(f.get("content"));
        // Rome: the item's author joins the Dublin Core creators after them; the entry's author is the first.
        String author = !f.creators.isEmpty() ? f.creators.get(0) : f.get("author");
        return new FeedContent.Entry(f.get("title"), summary, link, author == null || author.isBlank() ? List.of() : List.of(author.strip()),
                firstDate(f.get("dc:date"), f.get("pubDate"), null));
    }

    /** At {@code <feed>}: its title and entries. */
    private static FeedContent atom(XMLStreamReader r) throws XMLStreamException, Declined {
        String title = null;
        boolean hasTitle = false;
        List<FeedContent.Entry> entries = new ArrayList<>();
        while (nextChild(r)) {
            if (!ATOM.equals(r.getNamespaceURI())) {
                skip(r);
            } else if (r.getLocalName().equals("entry")) {
                entries.add(entry(r));
            } else if (!hasTitle && r.getLocalName().equals("title")) {
                title = textConstruct(r);
                hasTitle = true;
            } else {
                skip(r);
            }
        }
        return new FeedContent(title, entries);
    }

    private static FeedContent.Entry entry(XMLStreamReader r) throws XMLStreamException, Declined {
        Fields f = new Fields();
        String link = null;
        boolean hasAlternate = false;
        List<String> authorNames = new ArrayList<>();
        boolean hasAuthor = false;
        while (nextChild(r)) {
            String ns = r.getNamespaceURI();
            String name = r.getLocalName();
            if (ATOM.equals(ns)) {
                switch (name) {
                    case "title", "summary", "content" -> f.first(name, textConstruct(r));
                    case "published", "updated" -> f.first(name, text(r));
                    case "link" -> {
                        String rel = atomAttribute(r, "rel");
                        String href = atomAttribute(r, "href");
                        skip(r);
                        if (!hasAlternate && (rel == null || rel.trim().isEmpty() || rel.equals("alternate"))) {
                            if (href != null && !Atom10Parser.isAbsoluteURI(href)) {
                                throw new Declined("a relative link, which Rome resolves against xml:base");
                            }
                            link = href;
                            hasAlternate = true;
                        }
                    }
                    case "author" -> {
                        hasAuthor = true;
                        authorNames.add(personName(r));
                    }
                    default -> skip(r);
                }
            } else if (DUBLIN_CORE.equals(ns) && name.equals("creator")) {
                f.creators.add(text(r));
            } else if (DUBLIN_CORE.equals(ns) && name.equals("date")) {
                f.first("dc:date", text(r));
            } else {
                skip(r);
            }
        }
        List<String> authors = new ArrayList<>();
        if (hasAuthor) {
            for (String n : authorNames) {
                if (n != null && !n.isBlank()) {
                    authors.add(n.strip());
                }
            }
        } else if (!f.creators.isEmpty() && !f.creators.get(0).isBlank()) {
            authors.add(f.creators.get(0).strip());
        }
        String summary = f.get("summary") != null ? f.get("summary") : nonBlank(f.get("content"));
        return new FeedContent.Entry(f.get("title"), summary, link, List.copyOf(authors), firstDate(f.get("published"), f.get("dc:date"), f.get("updated")));
    }

    /** The first {@code name} child's text of an Atom person construct, or null. */
    private static String personName(XMLStreamReader r) throws XMLStreamException, Declined {
        String name = null;
        boolean hasName = false;
        while (nextChild(r)) {
            if (!hasName && r.getLocalName().equals("name") && ATOM.equals(r.getNamespaceURI())) {
                name = text(r);
                hasName = true;
            } else {
                skip(r);
            }
        }
        return name;
    }

    /** Rome's lookup: the attribute without a namespace, else the one in the Atom namespace. */
    private static String atomAttribute(XMLStreamReader r, String name) {
        String value = r.getAttributeValue("", name);
        return value != null ? value : r.getAttributeValue(ATOM, name);
    }

    /** An Atom text construct: plain text unless it is XHTML or XML, which Rome serializes and this reader leaves to it. */
    private static String textConstruct(XMLStreamReader r) throws XMLStreamException, Declined {
        String type = atomAttribute(r, "type");
        if (type != null && (type.equals("xhtml") || type.contains("/xml") || type.contains("+xml"))) {
            throw new Declined("an Atom text construct of type " + type);
        }
        return text(r);
    }

    /** The dates in Rome's order of precedence: the first that parses. */
    private static Instant firstDate(String first, String second, String third) {
        for (String text : new String[] {first, second, third}) {
            Instant date = text == null ? null : FeedDates.parse(text);
            if (date != null) {
                return date;
            }
        }
        return null;
    }

    /**
     * At a start tag: its own text and CDATA, as JDOM's {@code getText()} gives it (comments and processing
     * instructions left out), up to its end tag. Markup inside is declined: Rome keeps some of it as text.
     */
    private static String text(XMLStreamReader r) throws XMLStreamException, Declined {
        StringBuilder text = null;
        String single = null;
        while (true) {
            int event = r.next();
            switch (event) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (single == null && text == null) {
                        single = r.getText();
                    } else {
                        if (text == null) {
                            text = new StringBuilder(single);
                        }
                        text.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
                    }
                }
                case XMLStreamConstants.START_ELEMENT -> throw new Declined("markup inside a field: <" + r.getLocalName() + ">");
                case XMLStreamConstants.END_ELEMENT -> {
                    return text != null ? text.toString() : single != null ? single : "";
                }
                default -> {
                    // comments and processing instructions: not part of the text
                }
            }
        }
    }

    /** Moves to the next child start tag of the current element and returns true, or to its end tag and returns false. */
    private static boolean nextChild(XMLStreamReader r) throws XMLStreamException {
        while (true) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
            if (event == XMLStreamConstants.END_ELEMENT) {
                return false;
            }
        }
    }

    /** At a start tag: moves to its end tag. */
    private static void skip(XMLStreamReader r) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else {
                }
        }
    }

    private static boolean noNamespace(XMLStreamReader r) {
        String ns = r.getNamespaceURI();
        return ns == null || ns.isEmpty();
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** An entry's first occurrence of each field, and all its Dublin Core creators. */
    private static final class Fields {
        private final Map<String, String> first = new HashMap<>();
        private final List<String> creators = new ArrayList<>();
        private boolean guidIsPermaLink;

        /** Keeps the value if it is the field's first; says whether it was. */
        boolean first(String field, String value) {
            return first.putIfAbsent(field, value) == null;
        }

        String get(String field) {
            return first.get(field);
        }
    }
}
