package dev.digestflow.bench.corpus;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import dev.digestflow.ingest.parse.DigestParseException;
import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParsedItem;
import dev.digestflow.ingest.parse.ParserRegistry;
import dev.digestflow.ingest.parse.TextDecoder;
import dev.digestflow.schema.id.ItemIds;

/**
 * Generates a corpus of realistic digest files: the three page formats from the sample pages with
 * new titles, and the five structured formats written from the samples' item fields. A configurable
 * share of items repeats a title from an earlier file (possibly in another format), which is what
 * enrich's dedup must drop. Deterministic for a seed.
 *
 * <p>Every generated file is parsed back before it is handed out, and must yield its intended
 * format and titles: a bench that measured files the parser reads differently would measure nothing.
 */
public final class CorpusGenerator {

    public static final double DEFAULT_DUPLICATE_SHARE = 0.10;
    /** Items per structured file: newsletters and feeds carry tens of items. */
    private static final int MIN_STRUCTURED_ITEMS = 10;
    private static final int MAX_STRUCTURED_ITEMS = 40;
    private static final Instant FILE_TIME = Instant.parse("2025-12-09T12:00:00Z");

    private final List<PageTemplate> pages;
    private final List<ParsedItem> fieldPool;
    private final ParserRegistry parsers = ParserRegistry.defaults();

    private CorpusGenerator(List<PageTemplate> pages, List<ParsedItem> fieldPool) {
        if (pages.isEmpty() || fieldPool.isEmpty()) {
            throw new IllegalArgumentException("the corpus needs at least one sample digest page with items");
        }
        this.pages = List.copyOf(pages);
        this.fieldPool = List.copyOf(fieldPool);
    }

    /** Templates from sample files, by name. A sample that is not a page format only feeds the field pool. */
    public static CorpusGenerator fromSamples(Map<String, byte[]> samples) throws DigestParseException {
        ParserRegistry parsers = ParserRegistry.defaults();
        List<PageTemplate> pages = new ArrayList<>();
        List<ParsedItem> pool = new ArrayList<>();
        for (var e : samples.entrySet()) {
            var text = TextDecoder.decode(e.getKey(), FILE_TIME, e.getValue());
            ParseResult r = parsers.parse(text);
            pool.addAll(r.items());
            if (Set.of("blog-listing", "daily-papers", "topic-hub").contains(r.format())) {
                pages.add(new PageTemplate(e.getKey(), r.format(), text.text(), r.items().stream().map(ParsedItem::title).toList()));
            }
        }
        return new CorpusGenerator(pages, pool);
    }

    /** Every file in a folder, e.g. {@code ../shared/samples/digests}. */
    public static CorpusGenerator fromDirectory(Path dir) throws IOException, DigestParseException {
        Map<String, byte[]> samples = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                samples.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        if (samples.isEmpty()) {
            throw new IOException("no sample digests in " + dir);
        }
        return fromSamples(samples);
    }

    /** The samples the build copied into {@code samples/} on the classpath (a folder or a jar). */
    public static CorpusGenerator fromClasspath() throws IOException, DigestParseException {
        URL url = CorpusGenerator.class.getResource("/samples");
        if (url == null) {
            throw new IOException("no samples/ on the classpath; pass --samples <dir> (e.g. ../shared/samples/digests)");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return fromDirectory(jar.getPath("/samples"));
                }
            }
            return fromDirectory(Path.of(uri));
        } catch (URISyntaxException e) {
            throw new IOException("bad samples location " + url, e);
        }
    }

    public List<String> pageTemplates() {
        return pages.stream().map(p -> p.name() + " (" + p.format() + ", " + p.slots() + " items)").toList();
    }

    /**
     * About {@code items} items (exactly, unless the last page template overshoots) in files that
     * cycle through every format; {@code duplicateShare} of them repeat an earlier file's title.
     */
    public Corpus generate(int items, double duplicateShare, long seed, String namePrefix) {
        if (items < 1) {
            throw new IllegalArgumentException("items must be at least 1, got " + items);
        }
        if (duplicateShare < 0 || duplicateShare >= 1) {
            throw new IllegalArgumentException("duplicate share must be in [0, 1), got " + duplicateShare);
        }
        Random random = new Random(seed);
        TitleGenerator titles = new TitleGenerator(random);
        List<String> earlierTitles = new ArrayList<>();
        Set<String> earlierSet = new HashSet<>();
        List<CorpusFile> files = new ArrayList<>();
        int kinds = pages.size() + StructuredRenderer.Kind.values().length;
        long generated = 0;
        long duplicates = 0;
        for (int k = 0; generated < items; k++) {
            int kind = k % kinds;
            int remaining = (int) (items - generated);
            boolean page = kind < pages.size() && pages.get(kind).slots() <= remaining;
            StructuredRenderer.Kind structured = page ? null
                    : StructuredRenderer.Kind.values()[kind < pages.size() ? k % StructuredRenderer.Kind.values().length : kind - pages.size()];
            int slots = page ? pages.get(kind).slots()
                    : Math.min(remaining, MIN_STRUCTURED_ITEMS + random.nextInt(MAX_STRUCTURED_ITEMS - MIN_STRUCTURED_ITEMS + 1));
            List<String> fileTitles = new ArrayList<>(slots);
            Set<String> inFile = new HashSet<>();
            int fresh = 0;
            for (int s = 0; s < slots; s++) {
                // Duplicates are spread evenly: one whenever the running share falls below the target.
                boolean dup = !earlierTitles.isEmpty() && duplicates + 1 <= duplicateShare * (generated + s + 1);
                String title = null;
                if (dup) {
                    for (int attempt = 0; attempt < 5 && title == null; attempt++) {
                        String candidate = earlierTitles.get(random.nextInt(earlierTitles.size()));
                        title = inFile.contains(candidate) ? null : candidate;
                    }
                }
                if (title == null) {
                    title = titles.next();
                    fresh++;
                } else {
                    duplicates++;
                }
                inFile.add(title);
                fileTitles.add(title);
            }
            String name;
            String content;
            String format;
            String parserFormat;
            if (page) {
                PageTemplate t = pages.get(kind);
                name = String.format(Locale.ROOT, "%s-%05d-%s.txt", namePrefix, k, t.format());
                content = t.render(fileTitles);
                format = t.format();
                parserFormat = t.format();
            } else {
                name = String.format(Locale.ROOT, "%s-%05d-%s.%s", namePrefix, k, structured.label, structured.extension);
                content = StructuredRenderer.render(structured, "Research Digest " + k, entries(fileTitles, random));
                format = structured.label;
                parserFormat = structured.parserFormat;
            }
            CorpusFile file = new CorpusFile(name, format, content.getBytes(StandardCharsets.UTF_8), fileTitles, fresh);
            verify(file, parserFormat);
            files.add(file);
            fileTitles.stream().filter(earlierSet::add).forEach(earlierTitles::add);
            generated += slots;
        }
        return new Corpus(files);
    }

    private List<StructuredRenderer.Entry> entries(List<String> titles, Random random) {
        List<StructuredRenderer.Entry> out = new ArrayList<>(titles.size());
        for (String title : titles) {
            ParsedItem donor = fieldPool.get(random.nextInt(fieldPool.size()));
            String summary = donor.summary() == null || donor.summary().isBlank() ? "A study of " + title.toLowerCase(Locale.ROOT) + "." : donor.summary();
            List<String> authors = donor.authors().isEmpty() ? List.of("A. Researcher") : donor.authors();
            String url = "https://papers.example.org/" + ItemIds.of(title);
            out.add(new StructuredRenderer.Entry(title, summary, url, authors, donor.published()));
        }
        return out;
    }

    /** Parses the file as the service will and insists on the intended format and titles. */
    private void verify(CorpusFile file, String parserFormat) {
        ParseResult r;
        try {
            r = parsers.parse(TextDecoder.decode(file.name(), FILE_TIME, file.bytes()));
        } catch (DigestParseException e) {
            throw new IllegalStateException("generated " + file.name() + " does not parse: " + e.getMessage(), e);
        }
        List<String> expected = file.titles().stream().map(ItemIds::of).toList();
        List<String> actual = r.items().stream().map(i -> ItemIds.of(i.title())).toList();
        if (!r.format().equals(parserFormat) || !actual.equals(expected)) {
            throw new IllegalStateException("generated " + file.name() + " parses as " + r.format() + " with " + actual.size() + " items, expected "
                    + file.format() + " with " + expected.size() + "; first titles parsed: "
                    + r.items().stream().limit(3).map(ParsedItem::title).toList());
        }
    }
}
