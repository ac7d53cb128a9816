package dev.digestflow.ingest.file;

import java.nio.file.Path;
import java.time.Instant;

/** How one step of a file's life ended. Only {@link Published} and {@link Retry} leave the file claimed. */
public sealed interface FileOutcome {

    /** Every item and the PROCESSED event are acknowledged; the file is in processed/ at {@code where}. */
    record Processed(Path where, int items, int warnings) implements FileOutcome {
    }

    /** The same content was processed before; the file is in processed/ at {@code where}. */
    record Skipped(Path where) implements FileOutcome {
    }

    /**
     * The file can never be ingested as it is; it is in failed/ at {@code where}, next to its reason.
     * {@code eventPublished} is false when Kafka did not take the FAILED event (the file is safe anyway).
     */
    record Failed(Path where, String problem, boolean eventPublished) implements FileOutcome {
    }

    /** A transient failure (Kafka, registry, a folder): the file stays claimed and is tried again later. */
    record Retry(Exception cause) implements FileOutcome {
    }

    /**
     * The items are acknowledged, but the file was written to until shortly before it was read: it is
     * marked done only after {@link FilePipeline#finish} finds it unchanged at {@code recheckAt}.
     */
    record Published(FileWork work, Instant recheckAt) implements FileOutcome {
    }

    /** The claimed file disappeared (removed by hand); there is nothing left to do or to keep. */
    record Gone(Path claimed) implements FileOutcome {
    }
}
