package dev.digestflow.ingest.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Test fixtures from the classpath, decoded the way the service decodes files. */
public final class Fixtures {

    /** The file time the golden files were written against: daily-papers years are inferred from it. */
    public static final Instant FILE_TIME = Instant.parse("2025-12-09T12:00:00Z");

    private Fixtures() {
    }

    public static byte[] bytes(String resource) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DigestText text(String resource) throws DigestParseException {
        return TextDecoder.decode(resource.substring(resource.lastIndexOf('/') + 1), FILE_TIME, bytes(resource));
    }
}
