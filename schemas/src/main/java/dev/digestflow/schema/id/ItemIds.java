package dev.digestflow.schema.id;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one definition of {@code itemId}: a hash of the item's normalized title.
 *
 * <p>Dedup in enrich-streams, the Elasticsearch {@code _id} and harmless replays all rest on this
 * function, so the same item dropped twice, or found in two digests of different formats, must map
 * to one id. The URL is deliberately not part of the identity: the same paper appears with and
 * without links.
 */
public final class ItemIds {

    /** Hex characters kept from the SHA-256: 128 bits, collision-safe for any realistic corpus. */
    public static final int ID_HEX_LENGTH = 32;

    /**
     * Punctuation (which includes every dash, hyphen and quote: Pd, Pi, Pf, Po), symbols (the minus
     * sign, backtick, acute accent) and format characters (BOM, soft hyphen, zero-width joiners)
     * carry no identity. Dropping them all is what unifies "Fine‑Tuning" (U+2011), "Fine-Tuning" and
     * “quoted” vs "quoted" titles.
     */
    private static final Pattern PUNCTUATION = Pattern.compile("[\\p{P}\\p{S}\\p{Cf}]");
    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\p{Z}]+");

    private ItemIds() {
    }

    /**
     * Returns the deterministic id of an item with this title.
     *
     * @throws IllegalArgumentException when the title normalizes to nothing: such an item has no identity
     */
    public static String of(String title) {
        String normalized = normalizeTitle(title);
        if (normalized.isEmpty()) {
            throw new IllegalArgumentException("title has no letters or digits after normalization: '" + title + "'");
        }
        return HexFormat.of().formatHex(sha256(normalized)).substring(0, ID_HEX_LENGTH);
    }

    /**
     * Normalizes a title as the ARCHITECTURE contract says: NFKC, case-folding, dashes, quotes and
     * other punctuation dropped (which unifies them), whitespace collapsed. Exposed so that tests and the tagger can
     * show what the id was computed from.
     */
    public static String normalizeTitle(String title) {
        if (title == null) {
            throw new IllegalArgumentException("title must not be null");
        }
        String s = Normalizer.normalize(title, Normalizer.Form.NFKC);
        // Upper then lower approximates Unicode case folding (ß -> ss, final sigma -> sigma) with the JDK alone.
        s = s.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        s = PUNCTUATION.matcher(s).replaceAll("");
        s = WHITESPACE.matcher(s).replaceAll(" ").strip();
        return s;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
