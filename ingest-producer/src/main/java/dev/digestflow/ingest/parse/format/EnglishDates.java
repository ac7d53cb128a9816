package dev.digestflow.ingest.parse.format;

import java.time.Month;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Month names as digest pages write them: "August", "Aug", "Sept". */
final class EnglishDates {

    private static final Map<String, Month> MONTHS = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    static {
        for (Month m : Month.values()) {
            MONTHS.put(m.getDisplayName(TextStyle.FULL, Locale.ENGLISH), m);
            MONTHS.put(m.getDisplayName(TextStyle.SHORT, Locale.ENGLISH), m);
        }
        MONTHS.put("Sept", Month.SEPTEMBER);
    }

    /** Regex alternation of every accepted month name, longest first so "June" wins over "Jun". */
    static final String MONTH_PATTERN = "(?:January|February|March|April|May|June|July|August|September|October|November|December"
            + "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)";

    private EnglishDates() {
    }

    static Month month(String name) {
        Month m = MONTHS.get(name);
        if (m == null) {
            throw new IllegalArgumentException("not a month name: " + name);
        }
        return m;
    }
}
