package dev.digestflow.ingest.parse.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

import com.rometools.rome.io.FeedException;

/**
 * The StAX reader against Rome on generated RSS 2.0 and Atom 1.0 feeds: every feed it reads, it reads as Rome
 * does (field by field: titles, summaries, links, authors, dates); the feeds it declines are those with a
 * construct it leaves to Rome; and mutated feeds (cut short, a stray '<' or '&') never get an answer Rome
 * would not give, but for one leniency about names (below). The generator draws each field's presence, order, repetition and text (entities, CDATA,
 * comments, whitespace, HTML) independently.
 */
class StaxFeedReaderTest {

    private static final String[] WORDS = {"Scaling", "RL", "&amp;", "&lt;b&gt;bold&lt;/b&gt;", "<![CDATA[<p>cdata & more</p>]]>", "<!-- note -->",
        "&#233;t&#xE9;", "\u00e9", "\uD83D\uDE00", "  ", "\n", "\t", "reasoning", "\"quoted\"", "it's", "&quot;", "&gt;", "a]]&gt;b"};
    private static final String[] DATES = {"Mon, 03 Feb 2025 10:00:00 GMT", "Tue, 04 Feb 2025 09:30:00 +0100", "4 Feb 2025 09:30 -0500", "2025-05-30T08:00:00Z",
        "2025-05-30T08:00:00.250+02:00", "2025-05-30", "Mon, 03 Feb 25 10:00:00 EST", "sometime in May", "", " 2025-05-30T08:00:00Z ",
        "2025-02-30T08:00:00Z", "Sun, 03 Feb 2025 10:00:00 GMT"};

    @Test
    void everyFeedItReadsItReadsAsRomeDoes() throws Exception {
        Random random = new Random(7);
        int read = 0;
        for (int n = 0; n < 3000; n++) {
            Generated feed = random.nextBoolean() ? rss(random) : atom(random);
            FeedContent stax = StaxFeedReader.read(feed.xml);
            if (!feed.mayDecline) {
                assertThat(StaxFeedReader.declineReason(feed.xml)).as(feed.xml).isNull();
            }
            if (stax != null) {
                assertThat(stax).as(feed.xml).isEqualTo(FeedContent.of(FeedXmlParser.read(feed.xml, false)));
                read++;
            }
        }
        assertThat(read).isGreaterThan(1000);
    }

    @Test
    void aMutatedFeedIsReadAsRomeReadsItOrLeftToRome() throws Exception {
        Random random = new Random(8);
        int read = 0;
        java.util.Map<String, Integer> romeRefused = new java.util.TreeMap<>();
        for (int n = 0; n < 3000; n++) {
            String xml = (random.nextBoolean() ? rss(random) : atom(random)).xml;
            int at = random.nextInt(xml.length());
            String mutated = switch (random.nextInt(4)) {
                case 0 -> xml.substring(0, at);
                case 1 -> xml.substring(0, at) + "<" + xml.substring(at);
                case 2 -> xml.substring(0, at) + "&" + xml.substring(at);
                default -> xml.substring(0, at) + xml.substring(Math.min(xml.length(), at + 1 + random.nextInt(20)));
            };
            FeedContent stax = StaxFeedReader.read(mutated);
            if (stax != null) {
                read++;
                FeedContent rome;
                try {
                    rome = FeedContent.of(FeedXmlParser.read(mutated, false));
                } catch (FeedException | IllegalArgumentException e) {
                    romeRefused.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1, Integer::sum);
                    continue;
                }
                assertThat(stax).as(mutated).isEqualTo(rome);
            }
        }
        // The one leniency: a name XML 1.0 allows and JDOM's name check refuses (":dc", left when a mutation cut "xmlns"
        // short). The JDK's reader reads such a feed; Rome refused it. Nothing else may differ.
        assertThat(romeRefused.keySet()).allSatisfy(refusal -> assertThat(refusal).startsWith("IllegalNameException"));
        assertThat(read).as("mutations that leave a readable feed").isGreaterThan(100);
    }

    @Test
    void doctypesOtherVersionsAndEntitiesAreLeftToRome() throws Exception {
        String item = "<item><title>T</title></item>";
        assertThat(StaxFeedReader.declineReason("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x \"y\">]><rss version=\"2.0\"><channel>" + item
                + "</channel></rss>")).contains("DOCTYPE");
        assertThat(StaxFeedReader.declineReason("<rss version=\"0.91\"><channel>" + item + "</channel></rss>")).contains("0.91");
        assertThat(StaxFeedReader.declineReason("<rss version=\"2.0\"><channel><item><title>A&nbsp;B</title></item></channel></rss>")).contains("nbsp");
        assertThat(StaxFeedReader.declineReason("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"/>")).contains("root element");
        assertThat(StaxFeedReader.declineReason("  <?xml version=\"1.0\"?><rss/>")).contains("XMLStreamException");
        assertThat(StaxFeedReader.declineReason("<rss version=\"2.0\"><channel>" + item + "</channel></rss>")).isNull();
    }

    /** {@code mayDecline}: the generator drew a construct the reader may leave to Rome, depending on where it landed. */
    private record Generated(String xml, boolean mayDecline) {
    }

    private static final class Builder {
        final Random random;
        final StringBuilder xml = new StringBuilder();
        boolean declined;

        Builder(Random random) {
            this.random = random;
        }

        String text() {
            StringBuilder s = new StringBuilder();
            int n = random.nextInt(6);
            for (int i = 0; i < n; i++) {
                s.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextBoolean() ? " " : "");
            }
            if (random.nextInt(40) == 0) {
                s.append("&nbsp;");
                declined = true;
            }
            if (random.nextInt(40) == 0) {
                s.append("<b>markup</b>");
                declined = true;
            }
            return s.toString();
        }

        void element(String name, String attributes, String content) {
            xml.append('<').append(name).append(attributes).append('>').append(content).append("</").append(name).append(">\n");
        }

        /** Unknown elements, as real feeds carry (categories, enclosures, other namespaces, nested markup). */
        void noise() {
            switch (random.nextInt(8)) {
                case 0 -> element("category", "", "ml");
                case 1 -> xml.append("<enclosure url=\"https://e.org/a.mp3\" length=\"1\" type=\"audio/mpeg\"/>\n");
                case 2 -> xml.append("<media:group xmlns:media=\"http://search.yahoo.com/mrss/\"><media:title>x<b>y</b></media:title></media:group>\n");
                case 3 -> xml.append("<!-- a comment -->\n");
                case 4 -> xml.append("<?pi data?>\n");
                default -> {
                }
            }
        }
    }

    private static Generated rss(Random random) {
        Builder b = new Builder(random);
        b.xml.append(random.nextBoolean() ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : "");
        String version = switch (random.nextInt(10)) {
            case 0 -> "";
            case 1 -> " version=\" 2.0 \"";
            case 2 -> " version=\"2.01\"";
            case 3 -> {
                b.declined = true;
                yield " version=\"0.92\"";
            }
            default -> " version=\"2.0\"";
        };
        b.xml.append("<rss").append(version).append(" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n");
        b.xml.append("<channel>\n");
        int titles = random.nextInt(3);
        for (int t = 0; t < titles; t++) {
            b.element("title", "", b.text());
        }
        b.element("link", "", "https://digest.example.org/");
        int items = random.nextInt(5);
        for (int i = 0; i < items; i++) {
            b.xml.append("<item>\n");
            int fields = random.nextInt(14);
            for (int f = 0; f < fields; f++) {
                switch (random.nextInt(12)) {
                    case 0, 1 -> b.element("title", "", b.text());
                    case 2 -> b.element("link", "", random.nextBoolean() ? "https://e.org/" + i : " https://e.org/x\n");
                    case 3 -> b.element("description", "", b.text());
                    case 4 -> b.element("content:encoded", "", b.text());
                    case 5 -> b.element("author", "", random.nextBoolean() ? "a@e.org (Ada)" : b.text());
                    case 6 -> b.element("dc:creator", "", random.nextInt(4) == 0 ? " " : b.text());
                    case 7 -> b.element("guid", new String[] {"", " isPermaLink=\"true\"", " isPermaLink=\"false\"", " isPermaLink=\"TRUE\""}[random.nextInt(4)],
                            "https://e.org/guid/" + i);
                    case 8 -> b.element("pubDate", "", DATES[random.nextInt(DATES.length)]);
                    case 9 -> b.element("dc:date", "", DATES[random.nextInt(DATES.length)]);
                    default -> b.noise();
                }
            }
            b.xml.append("</item>\n");
        }
        if (random.nextInt(10) == 0) {
            b.xml.append("<channel><title>second channel</title><item><title>ignored</title></item></channel>\n");
        }
        b.xml.append("</channel>\n</rss>\n");
        return new Generated(b.xml.toString(), b.declined);
    }

    private static Generated atom(Random random) {
        Builder b = new Builder(random);
        b.xml.append(random.nextBoolean() ? "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" : "");
        b.xml.append("<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"")
                .append(random.nextInt(5) == 0 ? " xml:base=\"https://base.example.org/dir/\"" : "").append(">\n");
        int titles = random.nextInt(3);
        for (int t = 0; t < titles; t++) {
            b.element("title", type(b), b.text());
        }
        int entries = random.nextInt(5);
        for (int i = 0; i < entries; i++) {
            b.xml.append("<entry>\n");
            int fields = random.nextInt(14);
            for (int f = 0; f < fields; f++) {
                switch (random.nextInt(12)) {
                    case 0, 1 -> b.element("title", type(b), b.text());
                    case 2 -> b.element("summary", type(b), b.text());
                    case 3 -> b.element("content", random.nextInt(5) == 0 ? " src=\"https://e.org/c\"" : type(b), random.nextInt(5) == 0 ? "" : b.text());
                    case 4 -> {
                        String rel = new String[] {"", " rel=\"alternate\"", " rel=\"\"", " rel=\" \"", " rel=\"related\"", " rel=\"enclosure\""}[random.nextInt(6)];
                        String href = switch (random.nextInt(6)) {
                            case 0 -> "";
                            case 1 -> {
                                b.declined = true;
                                yield " href=\"relative/" + i + "\"";
                            }
                            default -> " href=\"https://e.org/" + i + "\"";
                        };
                        b.xml.append("<link").append(rel).append(href).append("/>\n");
                    }
                    case 5 -> {
                        b.xml.append("<author>");
                        if (random.nextInt(4) > 0) {
                            b.element("name", "", random.nextInt(4) == 0 ? " " : b.text());
                        }
                        if (random.nextBoolean()) {
                            b.element("email", "", "a@e.org");
                        }
                        b.xml.append("</author>\n");
                    }
                    case 6 -> b.element("dc:creator", "", b.text());
                    case 7 -> b.element("published", "", DATES[random.nextInt(DATES.length)]);
                    case 8 -> b.element("updated", "", DATES[random.nextInt(DATES.length)]);
                    case 9 -> b.element("dc:date", "", DATES[random.nextInt(DATES.length)]);
                    default -> b.noise();
                }
            }
            b.xml.append("</entry>\n");
        }
        b.xml.append("</feed>\n");
        return new Generated(b.xml.toString(), b.declined);
    }

    private static String type(Builder b) {
        return switch (b.random.nextInt(8)) {
            case 0 -> " type=\"text\"";
            case 1 -> " type=\"html\"";
            case 2 -> " type=\"text/plain\"";
            case 3 -> {
                b.declined = true;
                yield " type=\"xhtml\"";
            }
            default -> "";
        };
    }
}
