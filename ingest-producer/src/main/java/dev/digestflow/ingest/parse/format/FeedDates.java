package dev.digestflow.ingest.parse.format;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Locale;

import com.rometools.rome.io.impl.DateParser;

/**
 * Feed dates as Rome reads them, without Rome's cost for the common forms. Rome tries up to twenty
 * {@code SimpleDateFormat} masks, each built anew, per date (the top frame of a feed's parse after the XML).
 * The forms nearly every feed writes are read here with {@code java.time}: ISO 8601 / RFC 3339
 * ({@code 2025-05-30T08:00:00Z}, {@code +01:00}, three fraction digits, or a bare date) and RFC 822/1123
 * ({@code Mon, 03 Feb 2025 10:00:00 GMT}, {@code +0100}, {@code UT}, {@code Z}, no seconds, no weekday).
 * Anything else, or anything these rules do not read exactly (surrounding space, two-digit years, named zones
 * such as {@code EST}, out-of-range fields, which Rome's lenient masks roll over, a weekday that does not
 * match the date), goes to Rome's own {@link DateParser}: every date means what it meant before.
 * {@code FeedDatesTest} holds the two to the same answer on generated dates.
 */
final class FeedDates {

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private FeedDates() {
    }

    /** The instant, or null when neither this nor Rome reads the text as a date. */
    static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        Instant fast = fast(text);
        if (fast != null) {
            return fast;
        }
        Date date = DateParser.parseDate(text, Locale.ENGLISH);
        return date == null ? null : date.toInstant();
    }

    /** The java.time reading alone: RFC 822 when the text has a comma or no '-' after a four-digit year, else ISO; null if it cannot say. */
    static Instant fast(String text) {
        return text.indexOf(',') >= 0 || (text.length() > 4 && text.charAt(4) != '-') ? rfc822(text) : iso(text);
    }

    /** {@code yyyy-MM-dd} or {@code yyyy-MM-ddTHH:mm:ss[.SSS](Z|±HH:mm)}; null for anything else. */
    static Instant iso(String s) {
        try {
            if (s.length() == 10) {
                LocalDate date = date(s, 0);
                return date == null ? null : date.atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            if (s.length() < 20 || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
                return null;
            }
            LocalDate date = date(s, 0);
            int hour = digits(s, 11, 2);
            int minute = digits(s, 14, 2);
            int second = digits(s, 17, 2);
            int pos = 19;
            int nanos = 0;
            if (s.charAt(pos) == '.') {
                int millis = digits(s, pos + 1, 3);
                if (millis < 0) {
                    return null;
                }
                nanos = millis * 1_000_000;
                pos += 4;
            }
            ZoneOffset offset;
            if (pos == s.length() - 1 && s.charAt(pos) == 'Z') {
                offset = ZoneOffset.UTC;
            } else if (pos == s.length() - 6 && (s.charAt(pos) == '+' || s.charAt(pos) == '-') && s.charAt(pos + 3) == ':') {
                offset = offset(s.charAt(pos) == '-', digits(s, pos + 1, 2), digits(s, pos + 4, 2));
            } else {
                return null;
            }
            if (date == null || hour < 0 || minute < 0 || second < 0 || offset == null) {
                return null;
            }
            return LocalDateTime.of(date.getYear(), date.getMonth(), date.getDayOfMonth(), hour, minute, second, nanos).toInstant(offset);
        } catch (DateTimeException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** {@code [EEE, ]d MMM yyyy HH:mm[:ss] (GMT|UTC|UT|Z|±HHmm)}, single spaces, English names as written; null otherwise. */
    static Instant rfc822(String s) {
        try {
            int pos = 0;
            DayOfWeek weekday = null;
            if (s.length() > 5 && s.charAt(3) == ',' && s.charAt(4) == ' ') {
                int day = indexOf(DAYS, s.substring(0, 3));
                if (day < 0) {
                    return null;
                }
                weekday = DayOfWeek.of(day + 1);
                pos = 5;
            }
            int dayEnd = s.indexOf(' ', pos);
            if (dayEnd - pos < 1 || dayEnd - pos > 2) {
                return null;
            }
            int day = digits(s, pos, dayEnd - pos);
            int month = s.charAt(dayEnd + 4) == ' ' ? indexOf(MONTHS, s.substring(dayEnd + 1, dayEnd + 4)) + 1 : 0;
            pos = dayEnd + 5;
            int year = s.charAt(pos + 4) == ' ' ? digits(s, pos, 4) : -1;
            pos += 5;
            int hour = digits(s, pos, 2);
            int minute = s.charAt(pos + 2) == ':' ? digits(s, pos + 3, 2) : -1;
            pos += 5;
            int second = 0;
            if (s.charAt(pos) == ':') {
                second = digits(s, pos + 1, 2);
                pos += 3;
            }
            if (s.charAt(pos) != ' ' || day < 0 || month < 1 || year < 1600 || hour < 0 || minute < 0 || second < 0) {
                return null;
            }
            String zone = s.substring(pos + 1);
            ZoneOffset offset = switch (zone) {
                case "GMT", "UTC", "UT", "Z" -> ZoneOffset.UTC;
                default -> zone.length() == 5 && (zone.charAt(0) == '+' || zone.charAt(0) == '-')
                        ? offset(zone.charAt(0) == '-', digits(zone, 1, 2), digits(zone, 3, 2)) : null;
            };
            if (offset == null) {
                return null;
            }
            LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, second);
            if (weekday != null && local.getDayOfWeek() != weekday) {
                return null;
            }
            return local.toInstant(offset);
        } catch (DateTimeException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static LocalDate date(String s, int at) {
        if (s.charAt(at + 4) != '-' || s.charAt(at + 7) != '-') {
            return null;
        }
        int year = digits(s, at, 4);
        int month = digits(s, at + 5, 2);
        int day = digits(s, at + 8, 2);
        // Before 1600 java.util.Date is Julian and java.time proleptic Gregorian: left to Rome.
        return year < 1600 || month < 1 || day < 1 ? null : LocalDate.of(year, Month.of(month), day);
    }

    private static ZoneOffset offset(boolean negative, int hours, int minutes) {
        if (hours < 0 || hours > 18 || minutes < 0 || minutes > 59) {
            return null;
        }
        return negative ? ZoneOffset.ofHoursMinutes(-hours, -minutes) : ZoneOffset.ofHoursMinutes(hours, minutes);
    }

    /** The ASCII digits at [from, from + count) as a number, or -1 if any is not one. */
    private static int digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
