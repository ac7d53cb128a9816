package dev.digestflow.ingest.parse;

/**
 * A pure parser for one digest format: text in, items and warnings out. No I/O, no clock, no Kafka.
 */
public interface DigestParser {

    /** The format's name as it appears in events and error files, e.g. {@code daily-papers}. */
    String format();

    /** Whether the text looks like this format. Cheap; must not throw. */
    boolean sniff(DigestText text);

    /** Parses the whole digest; throws with a line number when it is not a valid digest of this format. */
    ParseResult parse(DigestText text) throws DigestParseException;
}
