package dev.digestflow.enrich.taxonomy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The taxonomy in use, and the tagger built from it, replaced while the pipeline runs when its file
 * changes. A changed file is loaded and validated first; an invalid one is refused (the reason names
 * the line) and the previous taxonomy stays in use. Every stream thread reads the current tagger per
 * record: a swap is one reference write, and a record is tagged wholly by one version.
 */
public final class CurrentTaxonomy {

    /** What a check of the file found. */
    public sealed interface Change {
        /** The file is as it was. */
        record Unchanged() implements Change {
        }

        /** A new, valid taxonomy is in use. */
        record Loaded(Taxonomy previous, Taxonomy current) implements Change {
        }

        /** The file changed but cannot be used; the previous taxonomy stays. */
        record Refused(String reason) implements Change {
        }
    }

    private record State(Taxonomy taxonomy, Tagger tagger) {
    }

    private final Path file;
    private final AtomicReference<State> state;
    /** Modification times and sizes of the taxonomy file and of the examples it names, as last looked at. */
    private List<Object> seen;

    /** A fixed taxonomy (the default one, or tests'): nothing to reload. */
    public CurrentTaxonomy(Taxonomy taxonomy) {
        this(taxonomy, null);
    }

    /** @param file the file the taxonomy was loaded from, watched by {@link #reloadIfChanged()}; null for none */
    public CurrentTaxonomy(Taxonomy taxonomy, Path file) {
        this.file = file;
        this.state = new AtomicReference<>(new State(taxonomy, new Tagger(taxonomy)));
        if (file != null) {
            seen = fingerprintOrNull();
        }
    }

    public Taxonomy taxonomy() {
        return state.get().taxonomy();
    }

    public Tagger tagger() {
        return state.get().tagger();
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * Loads the file again if its size or modification time changed since the last look.
     *
     * @param beforeSwap runs with the new taxonomy before it is put in use (e.g. creating the topics of
     *        new tags); if it throws, the new taxonomy is refused with that reason
     */
    public synchronized Change reloadIfChanged(java.util.function.Consumer<Taxonomy> beforeSwap) {
        if (file == null) {
            return new Change.Unchanged();
        }
        List<Object> now;
        try {
            now = fingerprint();
        } catch (NoSuchFileException e) {
            return new Change.Refused(e.getFile() + " is gone; keeping taxonomy " + taxonomy().version());
        } catch (IOException e) {
            return new Change.Refused("cannot read " + file + ": " + e + "; keeping taxonomy " + taxonomy().version());
        }
        if (now.equals(seen)) {
            return new Change.Unchanged();
        }
        seen = now;
        Taxonomy next;
        try {
            next = Taxonomy.load(file);
        } catch (TaxonomyException | IOException e) {
            return new Change.Refused(e.getMessage() + "\n(keeping taxonomy " + taxonomy().version() + ")");
        }
        Taxonomy previous = taxonomy();
        if (next.contentHash().equals(previous.contentHash())) {
            return new Change.Unchanged(); // saved again without a change to its rules or examples
        }
        if (next.version().equals(previous.version())) {
            // Putting it in use would tag records with one version for two sets of rules, and retag could not tell them apart.
            return new Change.Refused(file + " changed, but its declared version '" + next.version() + "' did not: raise 'version' to put the "
                    + "change in use (keeping the taxonomy in use)");
        }
        try {
            beforeSwap.accept(next);
        } catch (RuntimeException e) {
            return new Change.Refused("taxonomy " + next.version() + " from " + file + " is valid but could not be put in use: " + e.getMessage()
                    + " (keeping taxonomy " + previous.version() + ")");
        }
        state.set(new State(next, new Tagger(next)));
        if (!next.examplesName().equals(previous.examplesName())) {
            seen = fingerprintOrNull(); // it names other examples now: watch those
        }
        return new Change.Loaded(previous, next);
    }

    /** The taxonomy file's and its examples' modification times and sizes: editing either is a change. */
    private List<Object> fingerprint() throws IOException {
        List<Object> out = new ArrayList<>(List.of(Files.getLastModifiedTime(file), Files.size(file)));
        String examples = taxonomy().examplesName();
        if (!examples.isEmpty()) {
            Path sibling = file.resolveSibling(examples);
            out.add(Files.getLastModifiedTime(sibling));
            out.add(Files.size(sibling));
        }
        return out;
    }

    private List<Object> fingerprintOrNull() {
        try {
            return fingerprint();
        } catch (IOException e) {
            return null;
        }
    }
}
