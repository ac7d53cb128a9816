package dev.digestflow.ingest.parse.format;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Month;
import java.time.MonthDay;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.digestflow.ingest.parse.DigestParseException;
import dev.digestflow.ingest.parse.DigestParser;
import dev.digestflow.ingest.parse.DigestText;
import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParseWarning;
import dev.digestflow.ingest.parse.ParsedItem;

/**
 * Daily-papers pages: a header ending with the digest's date ("Dec 8"), then per paper a title line,
 * the abstract, and usually a metadata block: "• N authors", "·", then "Oct 29 2" (date, upvotes) or
 * "Oct 19, 2023 1" (with a year). Papers without the block are still papers.
 *
 * <p>Dates without a year get one inferred from the digest date, itself dated by the file time: a
 * paper cannot be dated after its digest, so a later month-day means the year before. Each inference
 * is a warning, because it is a guess.
 */
public final class DailyPapersParser implements DigestParser {

    public static final String FORMAT = "daily-papers";
    private static final Pattern AUTHORS = Pattern.compile("(?U)^•\\s*(\\d+)\\s+authors?$");
    private static final Pattern DOT = Pattern.compile("^·$");
    private static final Pattern DATE = Pattern.compile("(?U)^(" + EnglishDates.MONTH_PATTERN + ")\\s+(\\d{1,2})(?:,\\s*(\\d{4}))?(?:\\s+(\\d+))?$");
    private static final Pattern DIGEST_DATE = Pattern.compile("(?U)^(" + EnglishDates.MONTH_PATTERN + ")\\s+(\\d{1,2})$");
    private static final Set<String> HEADER_CHROME = Set.of("new", "Get trending papers in your email inbox!", "Subscribe",
            "Daily Papers", "byAK and the research community");

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean sniff(DigestText text) {
        int authorLines = 0;
        for (String line : text.lines()) {
            if (line.indexOf('•') < 0 && !line.contains("Daily Papers")) {
                continue; // neither test below can pass: spares the strip and the regex on most lines
            }
            String s = line.strip();
            if (s.equals("Daily Papers")) {
                return true;
            }
            if (AUTHORS.matcher(s).matches() && ++authorLines >= 2) {
                return true;
            }
        }
        return false;
    }

    private enum Expect { TITLE, ABSTRACT, AFTER_ABSTRACT, DOT, DATE }

    @Override
    public ParseResult parse(DigestText text) throws DigestParseException {
        List<String> lines = text.lines();
        List<ParseWarning> warnings = new ArrayList<>();
        int i = 0;
        LocalDate fileDate = LocalDate.ofInstant(text.fileTime(), ZoneOffset.UTC);
        LocalDate digestDate = fileDate;
        // Header: chrome lines, then the digest's own date.
        for (; i < lines.size(); i++) {
            String s = lines.get(i).strip();
            if (s.isEmpty() || HEADER_CHROME.contains(s)) {
                continue;
            }
            Matcher d = DIGEST_DATE.matcher(s);
            if (d.matches()) {
                try {
                    digestDate = inferYear(MonthDay.of(EnglishDates.month(d.group(1)), day(d.group(2), i, s)), fileDate);
                } catch (DateTimeException noSuchDay) {
                    // "Feb 30": the header's date is only a reference for years; the file's date serves as well.
                    warnings.add(new ParseWarning(DigestText.lineNumber(i), "the digest date '" + s + "' is not a real date ("
                            + noSuchDay.getMessage() + "); years are inferred from the file's date " + fileDate + " instead"));
                }
                i++;
            }
            break;
        }
        List<ParsedItem> items = new ArrayList<>();
        ParsedItem.Builder current = null;
        Expect expect = Expect.TITLE;
        for (; i < lines.size(); i++) {
            String s = lines.get(i).strip();
            if (s.isEmpty()) {
                continue;
            }
            int lineNo = DigestText.lineNumber(i);
            switch (expect) {
                case TITLE -> {
                    requireNotMeta(s, lineNo, "a paper title");
                    current = ParsedItem.builder(s, lineNo);
                    expect = Expect.ABSTRACT;
                }
                case ABSTRACT -> {
                    requireNotMeta(s, lineNo, "the abstract of '" + BlogListingParser.abbreviate(lines.get(current.line())) + "'");
                    current.summary(s);
                    expect = Expect.AFTER_ABSTRACT;
                }
                case AFTER_ABSTRACT -> {
                    Matcher a = AUTHORS.matcher(s);
                    if (a.matches()) {
                        Integer authors = PageNumbers.count(a.group(1));
                        if (authors == null) {
                            warnings.add(new ParseWarning(lineNo, "author count '" + PageNumbers.shown(a.group(1)) + "' is not a usable number; left out"));
                        }
                        current.authorCount(authors);
                        expect = Expect.DOT;
                    } else {
                        // No metadata block: the paper ends here and this line is the next title.
                        items.add(current.build());
                        requireNotMeta(s, lineNo, "a paper title");
                        current = ParsedItem.builder(s, lineNo);
                        expect = Expect.ABSTRACT;
                    }
                }
                case DOT -> {
                    if (!DOT.matcher(s).matches()) {
                        throw DigestParseException.atLine(FORMAT, lineNo, "expected the '·' separator after the author count, found '"
                                + BlogListingParser.abbreviate(s) + "'", "The metadata block is '• N authors', '·', then the date.");
                    }
                    expect = Expect.DATE;
                }
                case DATE -> {
                    Matcher d = DATE.matcher(s);
                    if (!d.matches()) {
                        throw DigestParseException.atLine(FORMAT, lineNo, "expected a date like 'Oct 29' or 'Oct 19, 2023 1', found '"
                                + BlogListingParser.abbreviate(s) + "'", "Check that the page was copied whole.");
                    }
                    date(current, d, s, lineNo, digestDate, warnings);
                    items.add(current.build());
                    current = null;
                    expect = Expect.TITLE;
                }
            }
        }
        if (expect == Expect.ABSTRACT) {
            warnings.add(new ParseWarning(current.line(), "the last paper has no abstract (the page may be truncated)"));
            items.add(current.build());
        } else if (expect == Expect.AFTER_ABSTRACT) {
            items.add(current.build());
        } else if (expect == Expect.DOT || expect == Expect.DATE) {
            warnings.add(new ParseWarning(current.line(), "the last paper's metadata block is cut short (the page may be truncated)"));
            items.add(current.build());
        }
        if (items.isEmpty()) {
            throw DigestParseException.atLine(FORMAT, 1, "no papers found after the header",
                    "A daily-papers page lists a title, an abstract and '• N authors' per paper.");
        }
        return new ParseResult(FORMAT, items, warnings);
    }

    private static void requireNotMeta(String s, int lineNo, String what) throws DigestParseException {
        if (AUTHORS.matcher(s).matches() || DOT.matcher(s).matches()) {
            throw DigestParseException.atLine(FORMAT, lineNo, "expected " + what + ", found the metadata line '" + s + "'",
                    "A metadata block must follow a title and its abstract; the page may have lost lines.");
        }
    }

    private static void date(ParsedItem.Builder item, Matcher d, String text, int lineNo, LocalDate digestDate,
            List<ParseWarning> warnings) throws DigestParseException {
        Month month = EnglishDates.month(d.group(1));
        int day = day(d.group(2), lineNo, text);
        String dateText = d.group(1) + " " + d.group(2) + (d.group(3) == null ? "" : ", " + d.group(3));
        LocalDate published;
        try {
            if (d.group(3) != null) {
                published = LocalDate.of(Integer.parseInt(d.group(3)), month, day);
            } else {
                published = inferYear(MonthDay.of(month, day), digestDate);
                warnings.add(new ParseWarning(lineNo, "'" + dateText + "' has no year; inferred " + published.getYear()
                        + " from the digest date " + digestDate));
            }
        } catch (DateTimeException e) {
            throw DigestParseException.atLine(FORMAT, lineNo, "invalid date '" + dateText + "': " + e.getMessage(), "Fix the date.");
        }
        item.published(published, dateText);
        if (d.group(4) != null) {
            Integer upvotes = PageNumbers.count(d.group(4));
            if (upvotes == null) {
                warnings.add(new ParseWarning(lineNo, "upvote count '" + PageNumbers.shown(d.group(4)) + "' is not a usable number; left out"));
            }
            item.upvotes(upvotes);
        }
    }

    private static int day(String s, int lineNo, String text) throws DigestParseException {
        int day = Integer.parseInt(s);
        if (day < 1 || day > 31) {
            throw DigestParseException.atLine(FORMAT, lineNo, "invalid day in '" + text + "'", "Fix the date.");
        }
        return day;
    }

    /** The latest date with this month-day that is not after the reference date. */
    static LocalDate inferYear(MonthDay monthDay, LocalDate reference) {
        int year = reference.getYear();
        if (!monthDay.isValidYear(year) || monthDay.atYear(year).isAfter(reference)) {
            year--;
        }
        while (!monthDay.isValidYear(year)) {
            year--; // Feb 29
        }
        return monthDay.atYear(year);
    }
}
