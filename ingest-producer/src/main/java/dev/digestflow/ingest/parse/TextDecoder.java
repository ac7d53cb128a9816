package dev.digestflow.ingest.parse;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Turns a file's bytes into digest text, or says precisely why it cannot: empty, whitespace only,
 * NUL or other control bytes (binary), or invalid UTF-8, each with its byte offset. UTF-8 with or
 * without a BOM is accepted, and so is UTF-16 when a BOM says so.
 */
public final class TextDecoder {

    private TextDecoder() {
    }

    public static DigestText decode(String fileName, Instant fileTime, byte[] bytes) throws DigestParseException {
        if (bytes.length == 0) {
            throw DigestParseException.atByte(0, "the file is empty", "Drop a digest with content; an empty file has nothing to ingest.");
        }
        String text;
        if (startsWith(bytes, 0xFE, 0xFF) || startsWith(bytes, 0xFF, 0xFE)) {
            boolean bigEndian = bytes[0] == (byte) 0xFE;
            text = strict(bytes, 2, bigEndian ? StandardCharsets.UTF_16BE.newDecoder() : StandardCharsets.UTF_16LE.newDecoder(),
                    bigEndian ? "UTF-16BE" : "UTF-16LE");
            // UTF-16 can spell control characters the byte check cannot see.
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')) {
                    throw DigestParseException.atByte(-1, String.format("control character U+%04X at character %d: binary content, not text", (int) c, i),
                            "Digests are text files; this looks like a binary file.");
                }
            }
        } else {
            int start = startsWith(bytes, 0xEF, 0xBB, 0xBF) ? 3 : 0;
            // Control bytes are refused here, and valid UTF-8 spells a character below U+0020 only as that byte: no check on the chars.
            checkBinary(bytes, start);
            text = utf8(bytes, start);
        }
        if (text.isBlank()) {
            throw DigestParseException.atByte(0, "the file contains only whitespace", "Drop a digest with content.");
        }
        return DigestText.of(fileName, fileTime, text);
    }

    private static void checkBinary(byte[] bytes, int start) throws DigestParseException {
        for (int i = start; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            if (b == 0) {
                throw DigestParseException.atByte(i, "NUL byte at byte offset " + i + ": binary content, not a text digest",
                        "Digests are UTF-8 text files. If this is a UTF-16 file, save it with a byte-order mark, or as UTF-8.");
            }
            if (b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f') {
                throw DigestParseException.atByte(i, String.format("control byte 0x%02x at byte offset %d: binary content, not a text digest", b, i),
                        "Digests are UTF-8 text files; this looks like a binary file.");
            }
        }
    }

    /**
     * Strict UTF-8 at the speed of {@code new String(bytes, UTF_8)} (the JDK's intrinsic decoder): that
     * constructor puts U+FFFD in place of every malformed sequence, so a result without U+FFFD came
     * from valid UTF-8. Only a text holding U+FFFD (malformed, or a literal replacement character) is
     * decoded again strictly, to tell the two apart and give the byte offset. The strict decoder
     * alone, into a CharBuffer and then a String, was a third of the parse threads' time.
     */
    private static String utf8(byte[] bytes, int start) throws DigestParseException {
        String text = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        return text.indexOf('\uFFFD') < 0 ? text : strict(bytes, start, StandardCharsets.UTF_8.newDecoder(), "UTF-8");
    }

    private static String strict(byte[] bytes, int start, CharsetDecoder decoder, String charset) throws DigestParseException {
        decoder.onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16L, (long) (bytes.length * (double) decoder.maxCharsPerByte()) + 16));
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            throw DigestParseException.atByte(in.position(), "invalid " + charset + " at byte offset " + in.position()
                    + " (" + result.length() + " malformed byte(s))",
                    "Save the file as UTF-8. Files in Latin-1 or Windows-1252 must be converted, e.g. iconv -f WINDOWS-1252 -t UTF-8.");
        }
        result = decoder.flush(out);
        if (result.isError()) {
            throw DigestParseException.atByte(bytes.length, "truncated " + charset + " sequence at the end of the file",
                    "The file may have been cut off; save it again as UTF-8.");
        }
        out.flip();
        return out.toString();
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

}
