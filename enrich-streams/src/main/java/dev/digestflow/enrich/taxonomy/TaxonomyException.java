package dev.digestflow.enrich.taxonomy;

import java.util.List;

/** A taxonomy that cannot be used; every problem names its tag and, where it applies, the pattern. */
public final class TaxonomyException extends RuntimeException {

    private final List<String> problems;

    public TaxonomyException(String source, List<String> problems) {
        super("invalid taxonomy " + source + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
