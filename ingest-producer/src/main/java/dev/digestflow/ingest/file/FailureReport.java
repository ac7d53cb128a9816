package dev.digestflow.ingest.file;

import java.time.Instant;

/**
 * The text of {@code <name>.error.txt} next to a rejected file: written for the person who dropped
 * it, who may never read a log. What the file is, what is wrong, where, and what to do.
 */
public final class FailureReport {

    private FailureReport() {
    }

    public static String text(FileWork work, String problem, String where, String advice, String instanceId, Instant at) {
        return String.join("\n",
                "digestflow could not ingest this file.",
                "",
                "File:        " + work.name(),
                "Size:        " + work.size() + " bytes",
                "SHA-256:     " + (work.sha256().isEmpty() ? "(not computed)" : work.sha256()),
                "Format:      " + (work.format() == null ? "none recognized" : work.format()),
                "Problem:     " + problem,
                "Where:       " + where,
                "What to do:  " + advice,
                "",
                "Instance:    " + instanceId,
                "Time:        " + at,
                "");
    }
}
