package dev.digestflow.bench.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A generated set of digest files, with the counts they must produce downstream. */
public record Corpus(List<CorpusFile> files) {

    public Corpus {
        files = List.copyOf(files);
    }

    public long items() {
        return files.stream().mapToLong(CorpusFile::items).sum();
    }

    /** Distinct item ids: the documents the index must hold once every file went through. */
    public long uniqueItems() {
        return files.stream().mapToLong(CorpusFile::freshItems).sum();
    }

    public long bytes() {
        return files.stream().mapToLong(f -> f.bytes().length).sum();
    }

    public Map<String, Long> filesByFormat() {
        Map<String, Long> m = new TreeMap<>();
        files.forEach(f -> m.merge(f.format(), 1L, Long::sum));
        return m;
    }

    /**
     * The first files, up to at least {@code items} items, and the rest. Fresh counts stay right as
     * long as the first part is processed before the second, which is how the bench uses them.
     */
    public List<Corpus> splitAtItems(long items) {
        long sum = 0;
        int cut = 0;
        while (cut < files.size() && sum < items) {
            sum += files.get(cut++).items();
        }
        return List.of(new Corpus(files.subList(0, cut)), new Corpus(files.subList(cut, files.size())));
    }

    /**
     * Writes every file into {@code dir}, with an mtime in the past: dropped into the inbox by rename
     * ({@code mv}), such a file is complete at once and does not wait out the inbox's quiet period.
     * The mtimes rise by a millisecond per file, in corpus order: the inbox takes files oldest
     * first, so files waiting together are ingested in the order they were generated.
     */
    public void writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Instant first = Instant.now().minusSeconds(600);
        for (int i = 0; i < files.size(); i++) {
            CorpusFile f = files.get(i);
            Path p = dir.resolve(f.name());
            Files.write(p, f.bytes());
            Files.setLastModifiedTime(p, FileTime.from(first.plusMillis(i)));
        }
    }
}
