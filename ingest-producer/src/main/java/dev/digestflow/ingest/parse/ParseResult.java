package dev.digestflow.ingest.parse;

import java.util.List;

/** What a parser found in one digest: its format, the items in order, and the warnings. */
public record ParseResult(String format, List<ParsedItem> items, List<ParseWarning> warnings) {

    public ParseResult {
        items = List.copyOf(items);
        warnings = List.copyOf(warnings);
    }
}
