package dev.digestflow.enrich.taxonomy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** One item of a taxonomy's examples: a title, a summary, and the tags a reader gave it (none is a valid answer). */
public record LabelledExample(int line, String title, String summary, Set<String> tags) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Problems reported per file before the rest are summed up: a wrong file gives one line per line otherwise. */
    private static final int MAX_PROBLEMS = 20;

    /**
     * Parses JSON lines, each problem naming the line. A tag the taxonomy does not define is a problem
     * rather than ignored: a renamed tag would otherwise lose its examples without a word.
     */
    static List<LabelledExample> parseLines(byte[] bytes, String where, Set<String> tagNames, List<String> problems) {
        List<LabelledExample> out = new ArrayList<>();
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\\R");
        int problemCount = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            List<String> lineProblems = new ArrayList<>();
            String at = where + " line " + (i + 1) + ": ";
            JsonNode n = null;
            try {
                n = JSON.readTree(lines[i]);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                lineProblems.add(at + "not valid JSON: " + e.getOriginalMessage());
            }
            if (n != null) {
                if (!n.path("title").isTextual() || n.path("title").asText().isBlank()) {
                    lineProblems.add(at + "needs a non-empty \"title\"");
                }
                if (!n.path("summary").isMissingNode() && !n.path("summary").isNull() && !n.path("summary").isTextual()) {
                    lineProblems.add(at + "\"summary\" must be a string");
                }
                Set<String> tags = new java.util.TreeSet<>();
                if (!n.path("tags").isArray()) {
                    lineProblems.add(at + "needs \"tags\", a list of tag names (empty for an item with none)");
                } else {
                    for (JsonNode t : n.path("tags")) {
                        if (!tagNames.contains(t.asText())) {
                            lineProblems.add(at + "tag '" + t.asText() + "' is not defined in the taxonomy");
                        }
                        tags.add(t.asText());
                    }
                }
                if (lineProblems.isEmpty()) {
                    out.add(new LabelledExample(i + 1, n.path("title").asText(), n.path("summary").asText(""), Set.copyOf(tags)));
                }
            }
            for (String p : lineProblems) {
                if (problemCount++ < MAX_PROBLEMS) {
                    problems.add(p);
                }
            }
        }
        if (problemCount > MAX_PROBLEMS) {
            problems.add(where + ": " + (problemCount - MAX_PROBLEMS) + " more problems");
        }
        return out;
    }

    /** Trains the learned part on the examples, with the lexicon-only tagger's scores as one of its inputs. */
    static LearnedTagModel train(Tagger lexicon, List<LabelledExample> examples) {
        return LearnedTagModel.train(prepare(lexicon, examples), lexicon.taxonomy().tags().size(), lexicon.taxonomy().threshold());
    }

    /** The examples as the learned part trains on them: analysed, with the lexicon's scores and a label per tag. */
    static List<LearnedTagModel.Example> prepare(Tagger lexicon, List<LabelledExample> examples) {
        List<String> names = lexicon.taxonomy().tagNames();
        List<LearnedTagModel.Example> prepared = new ArrayList<>();
        for (LabelledExample e : examples) {
            Tagger.Fields f = Tagger.analyse(e.title(), e.summary());
            boolean[] labelled = new boolean[names.size()];
            for (int k = 0; k < names.size(); k++) {
                labelled[k] = e.tags().contains(names.get(k));
            }
            prepared.add(new LearnedTagModel.Example(f.title(), f.lead(), f.rest(), lexicon.lexiconScores(f), labelled));
        }
        return prepared;
    }
}
