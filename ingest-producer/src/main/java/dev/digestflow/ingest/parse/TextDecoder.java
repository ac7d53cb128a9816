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
        } else {
            int start = startsWith(bytes, 0xEF, 0xBB, 0xBF) ? 3 : 0;
            checkBinary(bytes, start);
            text = strict(bytes, start, StandardCharsets.UTF_8.newDecoder(), "UTF-8");
        }
        if (text.isBlank()) {
            throw DigestParseException.atByte(0, "the file contains only whitespace", "Drop a digest with content.");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')) {
                throw DigestParseException.atByte(-1, String.format("control character U+%04X at character %d: binary content, not text", (int) c, i),
                        "Digests are text files; this looks like a binary file.");
            }
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
