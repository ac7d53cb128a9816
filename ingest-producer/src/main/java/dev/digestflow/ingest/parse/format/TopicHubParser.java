package dev.digestflow.ingest.parse.format;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.digestflow.ingest.parse.DigestParseException;
import dev.digestflow.ingest.parse.DigestParser;
import dev.digestflow.ingest.parse.DigestText;
import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParseWarning;
import dev.digestflow.ingest.parse.ParsedItem;

/**
 * Topic-hub pages: the hub title and description, "Topic Hub · 38 linked notes · 10 sections", then
 * sections (a name, then "N notes"), each holding notes: a question (the title), the text under it
 * (the summary) and the "Explore related Read →" chrome. Every note records its section and the hub
 * title as its collection. Declared counts that disagree with the page are warnings.
 */
public final class TopicHubParser implements DigestParser {

    public static final String FORMAT = "topic-hub";
    private static final Pattern HUB_LINE = Pattern.compile("(?U)^Topic Hub\\s*·\\s*(\\d+)\\s+linked notes?\\s*·\\s*(\\d+)\\s+sections?$");
    private static final Pattern SECTION_COUNT = Pattern.compile("(?U)^(\\d+)\\s+notes?$");
    private static final String NOTE_END = "Explore related Read →";
    private static final List<String> CHROME = List.of("← All notes", "View as");

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean sniff(DigestText text) {
        for (String line : text.lines()) {
            if (line.contains("Topic Hub") && HUB_LINE.matcher(line.strip()).matches()) { // the literal, before the regex
                return true;
            }
        }
        return false;
    }

    private record Section(String name, Integer declared, String declaredText, int line, int[] found) {
    }

    @Override
    public ParseResult parse(DigestText text) throws DigestParseException {
        List<String> lines = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        for (int i = 0; i < text.lines().size(); i++) {
            String s = text.lines().get(i).strip();
            if (!s.isEmpty() && !CHROME.contains(s)) {
                lines.add(s);
                lineNumbers.add(DigestText.lineNumber(i));
            }
        }
        int hubAt = -1;
        Matcher hub = null;
        for (int k = 0; k < lines.size(); k++) {
            Matcher m = HUB_LINE.matcher(lines.get(k));
            if (m.matches()) {
                hubAt = k;
                hub = m;
                break;
            }
        }
        if (hub == null || hubAt == 0) {
            throw DigestParseException.atLine(FORMAT, 1, "no hub title before the 'Topic Hub · N linked notes · M sections' line",
                    "A topic hub starts with its title and description.");
        }
        String collection = lines.get(0);
        List<ParseWarning> warnings = new ArrayList<>();
        List<ParsedItem> items = new ArrayList<>();
        List<Section> sections = new ArrayList<>();
        Section section = null;
        int k = hubAt + 1;
        while (k < lines.size()) {
            String s = lines.get(k);
            Matcher count = k + 1 < lines.size() ? SECTION_COUNT.matcher(lines.get(k + 1)) : null;
            if (count != null && count.matches()) {
                section = new Section(s, PageNumbers.count(count.group(1)), count.group(1), lineNumbers.get(k), new int[1]);
                sections.add(section);
                k += 2;
                continue;
            }
            if (section == null) {
                throw DigestParseException.atLine(FORMAT, lineNumbers.get(k), "a note '" + BlogListingParser.abbreviate(s)
                        + "' appears before any section", "Sections start with their name and an 'N notes' line.");
            }
            // A note: the question, then its text up to the "Explore related" chrome (or the next note/section).
            int start = k;
            StringBuilder summary = new StringBuilder();
            k++;
            while (k < lines.size() && !lines.get(k).equals(NOTE_END)
                    && !(k + 1 < lines.size() && SECTION_COUNT.matcher(lines.get(k + 1)).matches())) {
                if (summary.length() > 0) {
                    summary.append(' ');
                }
                summary.append(lines.get(k));
                k++;
            }
            if (k < lines.size() && lines.get(k).equals(NOTE_END)) {
                k++;
            } else {
                warnings.add(new ParseWarning(lineNumbers.get(start), "note '" + BlogListingParser.abbreviate(lines.get(start))
                        + "' does not end with '" + NOTE_END + "' (the page may be truncated)"));
            }
            items.add(ParsedItem.builder(lines.get(start), lineNumbers.get(start))
                    .summary(summary.toString()).section(section.name()).collection(collection).build());
            section.found()[0]++;
        }
        for (Section sec : sections) {
            if (sec.declared() == null || sec.found()[0] != sec.declared()) {
                warnings.add(new ParseWarning(sec.line(), "section '" + sec.name() + "' declares " + PageNumbers.shown(sec.declaredText())
                        + " note(s) but the page shows " + sec.found()[0]));
            }
        }
        Integer declaredNotes = PageNumbers.count(hub.group(1));
        Integer declaredSections = PageNumbers.count(hub.group(2));
        if (declaredNotes == null || declaredNotes != items.size()) {
            warnings.add(new ParseWarning(lineNumbers.get(hubAt), "the hub declares " + PageNumbers.shown(hub.group(1)) + " linked notes but the page shows "
                    + items.size()));
        }
        if (declaredSections == null || declaredSections != sections.size()) {
            warnings.add(new ParseWarning(lineNumbers.get(hubAt), "the hub declares " + PageNumbers.shown(hub.group(2)) + " sections but the page shows "
                    + sections.size()));
        }
        if (items.isEmpty()) {
            throw DigestParseException.atLine(FORMAT, lineNumbers.get(hubAt), "the hub shows no notes", "The page may be truncated.");
        }
        return new ParseResult(FORMAT, items, warnings);
    }
}
