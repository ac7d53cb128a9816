package dev.digestflow.ingest.parse;

/** Something odd but not fatal in a digest, e.g. declared counts that disagree with the page. */
public record ParseWarning(int line, String message) {

    @Override
    public String toString() {
        return line > 0 ? "line " + line + ": " + message : message;
    }
}
