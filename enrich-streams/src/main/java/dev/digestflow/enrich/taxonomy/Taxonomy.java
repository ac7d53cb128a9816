package dev.digestflow.enrich.taxonomy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The tagging rules, loaded from YAML or JSON and validated as a whole: every problem is collected
 * and reported at once, each naming its tag and the bad pattern.
 *
 * <pre>
 * version: research-2026-12  # optional; else the content's hash (sha256:&lt;12 hex&gt;) is the version
 * threshold: 2.0            # a tag applies when its score reaches this
 * fields: {title: 3.0, lead: 2.0, summary: 1.0}   # lead: the summary's first sentence (or its TL;DR)
 * tags:
 *   - name: reinforcement-learning      # [a-z0-9-]+, used in digest.tag.&lt;name&gt;
 *     label: Reinforcement learning
 *     weight: 1.0                       # multiplies the tag's score
 *     phrases: [reinforcement learning] # weight 2 each
 *     keywords: [RL, PPO]               # weight 1 each
 *     synonyms: {reinforcement learning: [reinforcement fine-tuning]}
 *     exclude: [re:rl\s+circuits?]      # any match vetoes the tag
 * examples: my-examples.jsonl           # optional: labelled items the learned part trains on (next to this file)
 * </pre>
 * Examples are JSON lines, {@code {"title": "...", "summary": "...", "tags": ["reinforcement-learning"]}}
 * (other fields are ignored; an empty list says the item has none of the tags). With examples, each tag's
 * score adds a learned part ({@link LearnedTagModel}) trained when the taxonomy is loaded, and the
 * content version covers the examples too.
 */
public record Taxonomy(String version, String contentHash, double threshold, double titleWeight, double leadWeight, double summaryWeight, List<TagDefinition> tags,
        LearnedTagModel learned, String examplesName, int exampleCount) {

    /** Reads a file that a taxonomy names (its examples), relative to where the taxonomy came from. */
    @FunctionalInterface
    public interface SiblingReader {
        byte[] read(String name) throws IOException;
    }

    private static final SiblingReader NO_SIBLINGS = name -> {
        throw new IOException("'examples' needs a taxonomy read from a file, to find '" + name + "' next to it");
    };

    public static final String UNTAGGED = "untagged";
    public static final double PHRASE_WEIGHT = 2.0;
    public static final double KEYWORD_WEIGHT = 1.0;
    private static final String DEFAULT_RESOURCE = "/taxonomy/default-taxonomy.yaml";

    /** The taxonomy shipped with digestflow (loaded and trained once: it is immutable). */
    public static Taxonomy defaults() {
        return Defaults.TAXONOMY;
    }

    private static final class Defaults {
        static final Taxonomy TAXONOMY = readDefaults();

        private static Taxonomy readDefaults() {
            try (InputStream in = Taxonomy.class.getResourceAsStream(DEFAULT_RESOURCE)) {
                return parse(new ObjectMapper(new YAMLFactory()).readTree(in), "classpath:" + DEFAULT_RESOURCE, name -> {
                    try (InputStream sibling = Taxonomy.class.getResourceAsStream("/taxonomy/" + name)) {
                        if (sibling == null) {
                            throw new java.io.FileNotFoundException("classpath:/taxonomy/" + name);
                        }
                        return sibling.readAllBytes();
                    }
                });
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the default taxonomy", e);
            }
        }
    }

    /** Loads a taxonomy file; {@code .json} is read as JSON, anything else as YAML. */
    public static Taxonomy load(Path file) throws IOException {
        ObjectMapper mapper = file.toString().toLowerCase(Locale.ROOT).endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        byte[] bytes = Files.readAllBytes(file);
        JsonNode root;
        try {
            root = mapper.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Jackson's message carries the line and column.
            throw new TaxonomyException(file.toString(), List.of("not valid " + (mapper.getFactory() instanceof YAMLFactory ? "YAML" : "JSON") + ": "
                    + e.getOriginalMessage() + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")")));
        }
        try {
            return parse(root, file.toString(), name -> Files.readAllBytes(file.resolveSibling(name)));
        } catch (TaxonomyException e) {
            throw new TaxonomyException(file.toString(), withLines(e.problems(), new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
        }
    }

    /** Each problem about a tag, prefixed with the line that names that tag, so that an editor can jump to it. */
    private static List<String> withLines(List<String> problems, String text) {
        String[] lines = text.split("\\R", -1);
        List<String> out = new ArrayList<>();
        java.util.regex.Pattern tagRef = java.util.regex.Pattern.compile("^tag '([^']*)'");
        for (String problem : problems) {
            java.util.regex.Matcher m = tagRef.matcher(problem);
            int line = -1;
            if (m.find()) {
                java.util.regex.Pattern nameLine = java.util.regex.Pattern.compile("^\\s*-?\\s*\"?name\"?\\s*:\\s*[\"']?" + java.util.regex.Pattern.quote(m.group(1)) + "[\"']?\\s*,?\\s*(#.*)?$");
                for (int i = 0; i < lines.length && line < 0; i++) {
                    if (nameLine.matcher(lines[i]).matches()) {
                        line = i + 1;
                    }
                }
            }
            out.add(line > 0 ? "line " + line + ": " + problem : problem);
        }
        return out;
    }

    /** Parses and validates a taxonomy without examples; throws {@link TaxonomyException} listing every problem. */
    public static Taxonomy parse(JsonNode root, String source) {
        return parse(root, source, NO_SIBLINGS);
    }

    /** Parses and validates, reading the examples it names with {@code siblings}, and trains the learned part on them. */
    public static Taxonomy parse(JsonNode root, String source, SiblingReader siblings) {
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new TaxonomyException(source, List.of("the document must be a mapping with 'tags'"));
        }
        double threshold = positive(root.path("threshold"), 2.0, "threshold", problems);
        double title = positive(root.path("fields").path("title"), 2.0, "fields.title", problems);
        double summary = positive(root.path("fields").path("summary"), 1.0, "fields.summary", problems);
        double lead = positive(root.path("fields").path("lead"), summary, "fields.lead", problems);
        List<TagDefinition> tags = new ArrayList<>();
        Set<String> names = new HashSet<>();
        JsonNode list = root.path("tags");
        if (!list.isArray() || list.isEmpty()) {
            problems.add("'tags' must be a non-empty list");
        }
        for (JsonNode t : list) {
            String name = t.path("name").asText("");
            String where = "tag '" + name + "'";
            if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                problems.add(where + ": name must be lower-case letters, digits and '-' (it becomes the topic digest.tag.<name>)");
            } else if (name.equals(UNTAGGED)) {
                problems.add(where + ": '" + UNTAGGED + "' is reserved for items that match nothing");
            } else if (!names.add(name)) {
                problems.add(where + ": defined twice");
            }
            double weight = positive(t.path("weight"), 1.0, where + " weight", problems);
            Map<String, List<String>> synonyms = synonyms(t.path("synonyms"), where, problems);
            List<Term> terms = new ArrayList<>();
            terms.addAll(terms(t.path("phrases"), PHRASE_WEIGHT, synonyms, where, problems));
            terms.addAll(terms(t.path("keywords"), KEYWORD_WEIGHT, synonyms, where, problems));
            if (terms.isEmpty()) {
                problems.add(where + ": needs at least one phrase or keyword");
            }
            List<Term> exclusions = terms(t.path("exclude"), 0, Map.of(), where + " exclude", problems);
            tags.add(new TagDefinition(name, t.path("label").asText(name), weight, List.copyOf(terms), List.copyOf(exclusions)));
        }
        byte[] exampleBytes = new byte[0];
        List<LabelledExample> examples = List.of();
        String name = "";
        if (root.hasNonNull("examples")) {
            name = root.get("examples").asText("");
            try {
                exampleBytes = siblings.read(name);
                examples = LabelledExample.parseLines(exampleBytes, "examples " + name, names, problems);
            } catch (IOException e) {
                problems.add("examples '" + name + "' cannot be read: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new TaxonomyException(source, problems);
        }
        String contentHash = contentVersion(root, exampleBytes);
        String version = root.hasNonNull("version") ? root.get("version").asText().strip() : contentHash;
        if (version.isEmpty()) {
            throw new TaxonomyException(source, List.of("'version' must not be empty (leave it out to version by content hash)"));
        }
        Taxonomy lexicon = new Taxonomy(version, contentHash, threshold, title, lead, summary, List.copyOf(tags), LearnedTagModel.NONE, "", 0);
        return examples.isEmpty() ? lexicon : lexicon.withLearnedPart(LabelledExample.train(new Tagger(lexicon), examples), name, examples.size());
    }

    /**
     * sha256: and 12 hex digits of the parsed document and the examples' bytes (so formatting and comments
     * do not change it; any rule, and any example, does).
     */
    private static String contentVersion(JsonNode root, byte[] examples) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (examples.length > 0) {
                sha.update(examples);
            }
            return "sha256:" + java.util.HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For logs: the version, the tag count, and what the learned part trained on. */
    public String summary() {
        return version + " (" + tags.size() + (tags.size() == 1 ? " tag" : " tags") + (exampleCount == 0 ? ", no learned part"
                : ", a learned part for " + learned.learnedTags() + " of them from " + exampleCount + " examples in " + examplesName
                        + " (a tag needs " + LearnedTagModel.MIN_POSITIVES + " examples that carry it)") + ")";
    }

    /** The same rules without the learned part: what the lexicon alone gives (the learned part trains on its scores). */
    public Taxonomy withoutLearnedPart() {
        return withLearnedPart(LearnedTagModel.NONE, "", 0);
    }

    Taxonomy withLearnedPart(LearnedTagModel model, String examples, int count) {
        return new Taxonomy(version, contentHash, threshold, titleWeight, leadWeight, summaryWeight, tags, model, examples, count);
    }

    public List<String> tagNames() {
        return tags.stream().map(TagDefinition::name).toList();
    }

    private static List<Term> terms(JsonNode node, double weight, Map<String, List<String>> synonyms, String where, List<String> problems) {
        List<Term> terms = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return terms;
        }
        if (!node.isArray()) {
            problems.add(where + ": expected a list of terms");
            return terms;
        }
        for (JsonNode n : node) {
            String written = n.asText("");
            try {
                terms.add(Term.compile(written, weight, synonyms.getOrDefault(written, List.of())));
            } catch (IllegalArgumentException e) {
                problems.add(where + ": pattern '" + written + "': " + e.getMessage());
            }
        }
        return terms;
    }

    private static Map<String, List<String>> synonyms(JsonNode node, String where, List<String> problems) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            problems.add(where + ": synonyms must map a term to a list of alternatives");
            return map;
        }
        node.fields().forEachRemaining(e -> {
            List<String> alternatives = new ArrayList<>();
            e.getValue().forEach(v -> alternatives.add(v.asText()));
            map.put(e.getKey(), alternatives);
        });
        return map;
    }

    private static double positive(JsonNode node, double fallback, String what, List<String> problems) {
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber() || node.asDouble() <= 0) {
            problems.add(what + " must be a positive number, not '" + node.asText() + "'");
            return fallback;
        }
        return node.asDouble();
    }
}
