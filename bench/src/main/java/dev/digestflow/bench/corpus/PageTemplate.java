package dev.digestflow.bench.corpus;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real digest page (blog listing, daily papers, topic hub) whose item titles are replaced to make
 * new files of the same shape: the markup, summaries, dates and noise around the titles stay exactly
 * as the sample has them, so the parser does the same work as on real input.
 */
final class PageTemplate {

    private final String name;
    private final String format;
    private final String text;
    private final List<String> titles;
    private final Pattern anyTitle;

    PageTemplate(String name, String format, String text, List<String> titles) {
        List<String> missing = titles.stream().filter(t -> !text.contains(t)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("sample " + name + " does not carry these titles verbatim, so they cannot be replaced: " + missing);
        }
        this.name = name;
        this.format = format;
        this.text = text;
        this.titles = List.copyOf(titles);
        // Longest first, so that a title which is a prefix of another never replaces part of it.
        this.anyTitle = Pattern.compile(titles.stream().distinct().sorted(Comparator.comparingInt(String::length).reversed()).map(Pattern::quote)
                .collect(Collectors.joining("|")));
    }

    String name() {
        return name;
    }

    String format() {
        return format;
    }

    int slots() {
        return titles.size();
    }

    /** The page with its i-th item's title replaced by {@code replacements.get(i)}, everywhere it occurs. */
    String render(List<String> replacements) {
        if (replacements.size() != titles.size()) {
            throw new IllegalArgumentException("template " + name + " has " + titles.size() + " items, got " + replacements.size() + " titles");
        }
        Map<String, String> byOld = new HashMap<>();
        for (int i = 0; i < titles.size(); i++) {
            byOld.putIfAbsent(titles.get(i), replacements.get(i));
        }
        return anyTitle.matcher(text).replaceAll(m -> Matcher.quoteReplacement(byOld.get(m.group())));
    }
}
