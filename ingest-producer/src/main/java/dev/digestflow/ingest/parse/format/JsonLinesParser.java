package dev.digestflow.ingest.parse.format;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.digestflow.ingest.parse.DigestParseException;
import dev.digestflow.ingest.parse.DigestParser;
import dev.digestflow.ingest.parse.DigestText;
import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParseWarning;
import dev.digestflow.ingest.parse.ParsedItem;

/**
 * JSON Lines: one JSON object per line with title, summary, url, date and authors. A line that is not
 * a JSON object rejects the whole file (with its line number) rather than silently dropping an item.
 */
public final class JsonLinesParser implements DigestParser {

    public static final String FORMAT = "json-lines";

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean sniff(DigestText text) {
        String first = text.firstNonBlankLine();
        return first.startsWith("{") && first.endsWith("}") && first.contains("\"title\"");
    }

    @Override
    public ParseResult parse(DigestText text) throws DigestParseException {
        List<ParsedItem> items = new ArrayList<>();
        List<ParseWarning> warnings = new ArrayList<>();
        List<String> lines = text.lines();
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i).strip();
            if (s.isEmpty()) {
                continue;
            }
            int lineNo = DigestText.lineNumber(i);
            JsonNode node;
            try {
                node = JsonFeedParser.JSON.readTree(s);
            } catch (JsonProcessingException e) {
                throw DigestParseException.atLine(FORMAT, lineNo, "line is not valid JSON: " + e.getOriginalMessage(),
                        "Each line must be one complete JSON object; the file may be truncated.");
            }
            if (node == null || !node.isObject()) {
                throw DigestParseException.atLine(FORMAT, lineNo, "line is JSON but not an object", "Each line must be one JSON object.");
            }
            ParsedItem item = JsonFeedParser.item(node, lineNo, warnings);
            if (item != null) {
                items.add(item);
            }
        }
        if (items.isEmpty()) {
            throw DigestParseException.atLine(FORMAT, 1, "no records with a title", "Each line needs at least a \"title\".");
        }
        return new ParseResult(FORMAT, items, warnings);
    }
}
