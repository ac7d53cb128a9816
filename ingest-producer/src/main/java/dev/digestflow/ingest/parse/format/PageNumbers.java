package dev.digestflow.ingest.parse.format;

/**
 * Numbers read off digest pages (read minutes, author counts, upvotes, declared note counts). The
 * patterns take any run of digits, so a page can carry one that does not fit an int; that is a fact
 * about the page to warn about, never a reason to stop (Integer.parseInt would throw, and an
 * exception no parser expects used to leave the file retried forever).
 */
final class PageNumbers {

    private PageNumbers() {
    }

    /** The value of a run of ASCII digits, or null when it does not fit an int. */
    static Integer count(String digits) {
        if (digits.length() > 10) {
            return null;
        }
        long v = Long.parseLong(digits);
        return v > Integer.MAX_VALUE ? null : (int) v;
    }

    /** The digits as written, shortened for a warning. */
    static String shown(String digits) {
        return digits.length() <= 24 ? digits : digits.substring(0, 12) + "…(" + digits.length() + " digits)";
    }
}
