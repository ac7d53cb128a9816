package dev.digestflow.ingest.file;

import java.nio.file.Path;
import java.time.Instant;

/** How one step of a file's life ended. Only {@link AwaitingRecheck} and {@link Retry} leave the file claimed. */
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
     * Read and parsed, but written to until shortly before it was read: a writer may still be at work
     * (network copies pause). Nothing is published until {@link FilePipeline#finish} finds the file
     * unchanged at {@code recheckAt}; a changed file is processed again as a whole.
     */
    record AwaitingRecheck(FileWork work, Instant recheckAt) implements FileOutcome {
    }

    /** The claimed file disappeared (removed by hand); there is nothing left to do or to keep. */
    record Gone(Path claimed) implements FileOutcome {
    }
}
