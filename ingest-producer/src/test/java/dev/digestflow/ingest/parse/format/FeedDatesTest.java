package dev.digestflow.ingest.parse.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Random;
import java.util.TimeZone;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rometools.rome.io.impl.DateParser;

/**
 * FeedDates' java.time reading against Rome's DateParser on generated dates: wherever the fast path gives an
 * answer, it is Rome's; and it does answer for the forms feeds write. The JVM's zone is set far from UTC,
 * so that a date Rome would read in local time cannot agree with the fast path by accident.
 */
class FeedDatesTest {

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "mon", "TUE", "Foo"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "jan", "Sept", "June"};
    private static final String[] RFC_ZONES = {"GMT", "UT", "UTC", "Z", "+0000", "+0100", "-0500", "+0530", "+1400", "-1200", "+1900", "+01:00",
        "EST", "PDT", "CET", "gmt", "", "+01", "-0060"};
    private static final String[] ISO_ZONES = {"Z", "+00:00", "-00:00", "+01:00", "-05:00", "+05:30", "+14:00", "+18:00", "+19:00", "+0100", "z", "",
        "+01", " Z", "-01:60"};

    private TimeZone saved;

    @BeforeEach
    void farFromUtc() {
        saved = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Chatham"));
    }

    @AfterEach
    void restore() {
        TimeZone.setDefault(saved);
    }

    @Test
    void wheneverTheFastPathAnswersItIsRomesAnswer() {
        Random random = new Random(41);
        int answered = 0;
        int canonical = 0;
        int canonicalAnswered = 0;
        for (int n = 0; n < 60_000; n++) {
            boolean mutate = random.nextInt(4) == 0;
            String s = random.nextBoolean() ? rfc822(random, mutate) : iso(random, mutate);
            if (mutate) {
                s = mutated(random, s);
            }
            Date rome = DateParser.parseDate(s, Locale.ENGLISH);
            Instant fast = FeedDates.fast(s);
            if (fast != null) {
                answered++;
                assertThat(rome).as("Rome reads '%s'", s).isNotNull();
                assertThat(fast).as("'%s'", s).isEqualTo(rome.toInstant());
            }
            assertThat(FeedDates.parse(s)).as("'%s'", s).isEqualTo(rome == null ? null : rome.toInstant());
            if (!mutate && isCanonical(s)) {
                canonical++;
                canonicalAnswered += fast != null ? 1 : 0;
            }
        }
        assertThat(answered).as("dates the fast path read").isGreaterThan(20_000);
        assertThat(canonicalAnswered).as("the forms feeds write are read without Rome").isEqualTo(canonical);
    }

    @Test
    void knownDates() {
        assertThat(FeedDates.parse("Mon, 03 Feb 2025 10:00:00 GMT")).isEqualTo(Instant.parse("2025-02-03T10:00:00Z"));
        assertThat(FeedDates.parse("Tue, 04 Feb 2025 09:30:00 +0100")).isEqualTo(Instant.parse("2025-02-04T08:30:00Z"));
        assertThat(FeedDates.parse("4 Feb 2025 09:30 -0500")).isEqualTo(Instant.parse("2025-02-04T14:30:00Z"));
        assertThat(FeedDates.parse("2025-05-30T08:00:00Z")).isEqualTo(Instant.parse("2025-05-30T08:00:00Z"));
        assertThat(FeedDates.parse("2025-05-30T08:00:00.250+02:00")).isEqualTo(Instant.parse("2025-05-30T06:00:00.250Z"));
        assertThat(FeedDates.parse("2025-05-30")).isEqualTo(Instant.parse("2025-05-30T00:00:00Z"));
        assertThat(FeedDates.parse("sometime in May")).isNull();
        assertThat(FeedDates.parse(null)).isNull();
        // Left to Rome, which reads these too: a two-digit year, a named zone.
        assertThat(FeedDates.rfc822("Mon, 03 Feb 25 10:00:00 GMT")).isNull();
        assertThat(FeedDates.parse("Mon, 03 Feb 25 10:00:00 GMT")).isNotNull();
        assertThat(FeedDates.rfc822("Mon, 03 Feb 2025 10:00:00 EST")).isNull();
        assertThat(FeedDates.parse("Mon, 03 Feb 2025 10:00:00 EST")).isEqualTo(Instant.parse("2025-02-03T15:00:00Z"));
    }

    /** What feeds write: RFC 822 with a four-digit year and GMT/UT/Z or a numeric zone, and RFC 3339 with Z or an offset. */
    private static boolean isCanonical(String s) {
        return s.matches("((Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (19|20)\\d\\d "
                + "([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)? (GMT|UT|Z|[+-](0\\d|1[0-4])[0-5]\\d)")
                && weekdayMatches(s) && dayExists(s)
                || s.matches("(19|20)\\d\\d-(0[1-9]|1[0-2])-(0[1-9]|1\\d|2[0-8])(T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d(\\.\\d{3})?(Z|[+-](0\\d|1[0-4]):[0-5]\\d))?");
    }

    private static boolean weekdayMatches(String s) {
        if (s.indexOf(',') < 0) {
            return true;
        }
        String[] parts = s.split(" ");
        java.time.LocalDate date = java.time.LocalDate.of(Integer.parseInt(parts[3]),
                java.util.List.of(MONTHS).indexOf(parts[2]) + 1, Integer.parseInt(parts[1]));
        return date.getDayOfWeek().getDisplayName(java.time.format.TextStyle.SHORT, Locale.ENGLISH).equals(parts[0].substring(0, 3));
    }

    private static boolean dayExists(String s) {
        String[] parts = s.replaceFirst("^\\w+, ", "").split(" ");
        int day = Integer.parseInt(parts[0]);
        return day >= 1 && day <= 28;
    }

    private static String rfc822(Random random, boolean wild) {
        StringBuilder s = new StringBuilder();
        int day = wild ? random.nextInt(34) : 1 + random.nextInt(28);
        int year = wild && random.nextBoolean() ? random.nextInt(100) : 1990 + random.nextInt(40);
        if (random.nextInt(3) > 0) {
            String weekday = wild ? DAYS[random.nextInt(DAYS.length)] : DAYS[random.nextInt(7)];
            s.append(weekday).append(", ");
        }
        s.append(random.nextBoolean() ? String.format("%02d", day) : Integer.toString(day));
        s.append(' ').append(wild ? MONTHS[random.nextInt(MONTHS.length)] : MONTHS[random.nextInt(12)]).append(' ');
        s.append(wild && random.nextBoolean() ? String.format("%02d", year % 100) : Integer.toString(year)).append(' ');
        s.append(String.format("%02d:%02d", wild ? random.nextInt(26) : random.nextInt(24), wild ? random.nextInt(62) : random.nextInt(60)));
        if (random.nextInt(4) > 0) {
            s.append(String.format(":%02d", wild ? random.nextInt(62) : random.nextInt(60)));
        }
        s.append(' ').append(wild ? RFC_ZONES[random.nextInt(RFC_ZONES.length)] : RFC_ZONES[random.nextInt(9)]);
        return s.toString();
    }

    private static String iso(Random random, boolean wild) {
        int year = wild ? random.nextInt(2200) : 1990 + random.nextInt(40);
        int month = wild ? random.nextInt(14) : 1 + random.nextInt(12);
        int day = wild ? random.nextInt(33) : 1 + random.nextInt(28);
        String date = String.format("%04d-%02d-%02d", year, month, day);
        if (random.nextInt(5) == 0) {
            return date;
        }
        StringBuilder s = new StringBuilder(date).append(wild && random.nextInt(5) == 0 ? 't' : 'T');
        s.append(String.format("%02d:%02d:%02d", wild ? random.nextInt(26) : random.nextInt(24), random.nextInt(60), wild ? random.nextInt(62) : random.nextInt(60)));
        int fraction = random.nextInt(wild ? 8 : 3);
        if (fraction == 2 || fraction > 3) {
            s.append('.').append(String.format("%09d", random.nextInt(1_000_000_000)), 0, fraction == 2 ? 3 : fraction);
        }
        s.append(wild ? ISO_ZONES[random.nextInt(ISO_ZONES.length)] : ISO_ZONES[random.nextInt(8)]);
        return s.toString();
    }

    private static String mutated(Random random, String s) {
        return switch (random.nextInt(6)) {
            case 0 -> " " + s;
            case 1 -> s + " ";
            case 2 -> s.replaceFirst(" ", "  ");
            case 3 -> s.isEmpty() ? s : s.substring(0, random.nextInt(s.length()));
            case 4 -> s.toLowerCase(Locale.ROOT);
            default -> s;
        };
    }
}
