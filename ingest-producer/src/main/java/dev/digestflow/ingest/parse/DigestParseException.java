package dev.digestflow.ingest.parse;

/**
 * A digest that cannot be turned into items. The message is written for the person who dropped the
 * file: what is wrong, where (line, or byte offset for encoding problems), and what to do.
 */
public class DigestParseException extends Exception {

    private final String format;
    private final int line;
    private final long byteOffset;
    private final String advice;

    public DigestParseException(String format, int line, long byteOffset, String message, String advice) {
        super(message);
        this.format = format;
        this.line = line;
        this.byteOffset = byteOffset;
        this.advice = advice;
    }

    public static DigestParseException atLine(String format, int line, String message, String advice) {
        return new DigestParseException(format, line, -1, message, advice);
    }

    public static DigestParseException atByte(long offset, String message, String advice) {
        return new DigestParseException(null, -1, offset, message, advice);
    }

    /** The detected format, or null when none was recognized. */
    public String format() {
        return format;
    }

    /** 1-based line, or -1. */
    public int line() {
        return line;
    }

    /** 0-based byte offset, or -1. */
    public long byteOffset() {
        return byteOffset;
    }

    public String advice() {
        return advice;
    }
}
