package dev.digestflow.ingest.file;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.digestflow.ingest.parse.ParseWarning;

/** What the pipeline learned about one claimed file on its way; fills the reason file, the event and the log line. */
public final class FileWork {

    private final Path claimed;
    private final String name;
    private final Instant detectedAt;
    private final Instant startedAt;
    long size = -1;
    Instant modified;
    String sha256 = "";
    String format;
    long parseMillis;
    int items;
    final List<ParseWarning> warnings = new ArrayList<>();
    /** The item events, kept between the read and a deferred publish. */
    List<dev.digestflow.schema.DigestItem> events = List.of();

    FileWork(Path claimed, String name, Instant detectedAt, Instant startedAt) {
        this.claimed = claimed;
        this.name = name;
        this.detectedAt = detectedAt;
        this.startedAt = startedAt;
    }

    public Path claimed() {
        return claimed;
    }

    /** The name the file had in the inbox. */
    public String name() {
        return name;
    }

    public Instant detectedAt() {
        return detectedAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Bytes read (or the size seen, when it was refused before reading); -1 if unknown. */
    public long size() {
        return size;
    }

    /** The modification time seen just before the read. */
    public Instant modified() {
        return modified;
    }

    public String sha256() {
        return sha256;
    }

    public String format() {
        return format;
    }

    public long parseMillis() {
        return parseMillis;
    }

    public int items() {
        return items;
    }

    public List<ParseWarning> warnings() {
        return warnings;
    }
}
