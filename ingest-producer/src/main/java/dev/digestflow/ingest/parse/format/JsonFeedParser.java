package dev.digestflow.ingest.parse.format;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.digestflow.ingest.parse.DigestParseException;
import dev.digestflow.ingest.parse.DigestParser;
import dev.digestflow.ingest.parse.DigestText;
import dev.digestflow.ingest.parse.ParseResult;
import dev.digestflow.ingest.parse.ParseWarning;
import dev.digestflow.ingest.parse.ParsedItem;

/**
 * JSON Feed 1.0/1.1 (https://jsonfeed.org): {@code items[]} with title, summary or content_text,
 * url, date_published and authors. Read with Jackson's streaming parser so every item keeps its line.
 * Jackson's default stream constraints bound nesting depth and string sizes.
 */
public final class JsonFeedParser implements DigestParser {

    public static final String FORMAT = "json-feed";
    static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public boolean sniff(DigestText text) {
        return text.firstNonBlankLine().startsWith("{") && text.text().contains("jsonfeed.org/version");
    }

    @Override
    public ParseResult parse(DigestText text) throws DigestParseException {
        List<ParsedItem> items = new ArrayList<>();
        List<ParseWarning> warnings = new ArrayList<>();
        String feedTitle = null;
        try (JsonParser p = JSON.createParser(text.text())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw DigestParseException.atLine(FORMAT, 1, "a JSON Feed must be a JSON object", "See https://jsonfeed.org/version/1.1");
            }
            boolean sawItems = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("title") && p.currentToken() == JsonToken.VALUE_STRING) {
                    feedTitle = p.getText();
                } else if (field.equals("items") && p.currentToken() == JsonToken.START_ARRAY) {
                    sawItems = true;
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        int line = p.currentLocation().getLineNr();
                        JsonNode item = p.readValueAsTree();
                        ParsedItem parsed = item(item, line, warnings);
                        if (parsed != null) {
                            items.add(parsed);
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            if (!sawItems) {
                throw DigestParseException.atLine(FORMAT, 1, "the feed has no 'items' array", "See https://jsonfeed.org/version/1.1");
            }
        } catch (JsonProcessingException e) {
            throw DigestParseException.atLine(FORMAT, e.getLocation() == null ? -1 : e.getLocation().getLineNr(),
                    "invalid JSON: " + e.getOriginalMessage(), "Check that the file is complete, valid JSON.");
        } catch (IOException e) {
            throw DigestParseException.atLine(FORMAT, -1, "cannot read JSON: " + e.getMessage(), "Check the file.");
        }
        if (items.isEmpty()) {
            throw DigestParseException.atLine(FORMAT, 1, "the feed has no items with a title", "An empty feed has nothing to ingest.");
        }
        String collection = feedTitle;
        return new ParseResult(FORMAT, items.stream().map(i -> withCollection(i, collection)).toList(), warnings);
    }

    private static ParsedItem withCollection(ParsedItem i, String collection) {
        return new ParsedItem(i.title(), i.summary(), i.url(), i.authors(), i.authorCount(), i.published(), i.publishedText(),
                i.readMinutes(), i.upvotes(), i.section(), collection, i.line());
    }

    /** One structured item (JSON Feed item or JSON Lines record); null, with a warning, when it has no title. */
    static ParsedItem item(JsonNode node, int line, List<ParseWarning> warnings) {
        String title = text(node, "title");
        if (title == null) {
            warnings.add(new ParseWarning(line, "item without a title cannot be identified; skipped"));
            return null;
        }
        String summary = text(node, "summary");
        if (summary == null) {
            summary = text(node, "content_text");
        }
        String dateText = text(node, "date_published");
        if (dateText == null) {
            dateText = text(node, "date");
        }
        LocalDate published = null;
        if (dateText != null) {
            published = date(dateText);
            if (published == null) {
                warnings.add(new ParseWarning(line, "unreadable date '" + dateText + "' (expected ISO-8601); kept as text"));
            }
        }
        List<String> authors = new ArrayList<>();
        JsonNode a = node.has("authors") ? node.get("authors") : node.get("author");
        if (a != null) {
            for (JsonNode n : a.isArray() ? a : List.of(a)) {
                String name = n.isTextual() ? n.asText() : n.path("name").asText(null);
                if (name != null && !name.isBlank()) {
                    authors.add(name.strip());
                }
            }
        }
        return ParsedItem.builder(title, line).summary(summary).url(text(node, "url")).authors(authors)
                .published(published, dateText).build();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isValueNode() && !v.asText().isBlank() ? v.asText().strip() : null;
    }

    private static LocalDate date(String s) {
        try {
            return OffsetDateTime.parse(s).toLocalDate();
        } catch (DateTimeException e) {
            try {
                return LocalDate.parse(s.length() >= 10 ? s.substring(0, 10) : s);
            } catch (DateTimeException e2) {
                return null;
            }
        }
    }
}
