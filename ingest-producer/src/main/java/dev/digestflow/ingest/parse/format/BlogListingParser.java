package dev.digestflow.ingest.parse.format;

import java.time.DateTimeException;
import java.time.LocalDate;
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
 * Blog listing pages: per post a title line, the teaser paragraph, then a metadata line
 * "August 25, 2025 · 14 min · Author". "Cover image" lines are page chrome.
 */
public final class BlogListingParser implements DigestParser {

    public static final String FORMAT = "blog-listing";
    private static final Pattern META = Pattern.compile("(?U)^(" + EnglishDates.MONTH_PATTERN
            + ")\\s+(\\d{1,2}),\\s*(\\d{4})\\s*·\\s*(\\d+)\\s*min(?:\\s*·\\s*(.+))?$");
    private static final String CHROME = "Cover image";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean sniff(DigestText text) {
        for (String line : text.lines()) {
            // The '·' every meta line has, found by an intrinsic scan, spares the regex on every other line: detection
            // tries this parser first, so every feed and newsletter line used to pay for it.
            if (line.indexOf('·') >= 0 && META.matcher(line.strip()).matches()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ParseResult parse(DigestText text) throws DigestParseException {
        List<ParsedItem> items = new ArrayList<>();
        List<ParseWarning> warnings = new ArrayList<>();
        List<String> lines = text.lines();
        List<Integer> block = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.equals(CHROME)) {
                continue;
            }
            Matcher meta = META.matcher(line);
            if (!meta.matches()) {
                block.add(i);
                continue;
            }
            if (block.isEmpty()) {
                throw DigestParseException.atLine(FORMAT, DigestText.lineNumber(i),
                        "a post's date line '" + line + "' has no title above it",
                        "Each post needs a title line, then its teaser, then 'Month D, YYYY · N min · Author'.");
            }
            items.add(item(lines, block, meta, i, warnings));
            block.clear();
        }
        if (!block.isEmpty()) {
            int first = block.get(0);
            warnings.add(new ParseWarning(DigestText.lineNumber(first), "text after the last post has no date line and was ignored: '"
                    + abbreviate(lines.get(first).strip()) + "' (the page may be truncated)"));
        }
        if (items.isEmpty()) {
            throw DigestParseException.atLine(FORMAT, 1, "no posts found", "The page has no 'Month D, YYYY · N min' lines.");
        }
        return new ParseResult(FORMAT, items, warnings);
    }

    private static ParsedItem item(List<String> lines, List<Integer> block, Matcher meta, int metaIndex,
            List<ParseWarning> warnings) {
        int titleIndex = block.get(0);
        StringBuilder summary = new StringBuilder();
        for (int k = 1; k < block.size(); k++) {
            if (summary.length() > 0) {
                summary.append(' ');
            }
            summary.append(lines.get(block.get(k)).strip());
        }
        String teaser = withoutTruncationMark(summary.toString());
        String dateText = meta.group(1) + " " + meta.group(2) + ", " + meta.group(3);
        LocalDate published = null;
        try {
            published = LocalDate.of(Integer.parseInt(meta.group(3)), EnglishDates.month(meta.group(1)), Integer.parseInt(meta.group(2)));
        } catch (DateTimeException e) {
            warnings.add(new ParseWarning(DigestText.lineNumber(metaIndex), "invalid date '" + dateText + "': " + e.getMessage()));
        }
        Integer minutes = PageNumbers.count(meta.group(4));
        if (minutes == null) {
            warnings.add(new ParseWarning(DigestText.lineNumber(metaIndex), "read time '" + PageNumbers.shown(meta.group(4))
                    + " min' is not a usable number; left out"));
        }
        String author = meta.group(5);
        return ParsedItem.builder(lines.get(titleIndex), DigestText.lineNumber(titleIndex))
                .summary(teaser)
                .published(published, dateText)
                .readMinutes(minutes)
                .authors(author == null ? List.of() : List.of(author.strip()))
                .build();
    }

    /**
     * The page cuts each teaser with a trailing "..." or "…"; it is not part of the text. A plain
     * suffix check: a regex anchored at the end still tries every start position of a long teaser.
     */
    static String withoutTruncationMark(String teaser) {
        String t = teaser.stripTrailing();
        if (t.endsWith("...")) {
            t = t.substring(0, t.length() - 3);
        } else if (t.endsWith("…")) {
            t = t.substring(0, t.length() - 1);
        }
        return t.stripTrailing();
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
