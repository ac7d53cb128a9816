package dev.digestflow.app.console;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;

/**
 * The Items page: a query-string search with filters, and the same two charts as Kibana's dashboard
 * ({@code dashboards/digestflow.ndjson}), built from the same fields and buckets so one can be checked
 * against the other: <b>top tags</b> (terms on {@code tags}, 20, plus "Other") and <b>items over
 * time by tag</b> (the 10 top tags, each a date histogram on {@code ingestedAt}, plus "Other": the
 * items with none of them). The interval is chosen as Kibana's "auto" does for the shown range:
 * the first of its round intervals that gives at most {@link #BAR_TARGET} buckets.
 */
public final class ItemSearch {

    /** Kibana's {@code histogram:barTarget} default. */
    static final int BAR_TARGET = 50;
    private static final Duration[] ROUND_INTERVALS = {Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(3),
        Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(365)};
    /** Kibana's dashboard uses the same sizes and field (DashboardsTest holds them together). */
    public static final int TOP_TAGS = 20;
    public static final int TAGS_OVER_TIME = 10;
    public static final String TIME_FIELD = "ingestedAt";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final ElasticsearchClient es;
    private final String alias;

    public ItemSearch(ElasticsearchClient es, String alias) {
        this.es = es;
        this.alias = alias;
    }

    /** The round interval for a range, as Kibana's auto interval picks it. */
    static Duration interval(Duration range) {
        for (Duration d : ROUND_INTERVALS) {
            if (range.toMillis() / Math.max(1, d.toMillis()) < BAR_TARGET) {
                return d;
            }
        }
        return ROUND_INTERVALS[ROUND_INTERVALS.length - 1];
    }

    /** Thrown for a query Elasticsearch refuses (a query-string syntax error): the page says so. */
    public static final class BadQueryException extends RuntimeException {
        BadQueryException(String message) {
            super(message);
        }
    }

    public ObjectNode search(String queryString, String tag, String format, String file, int size) throws IOException {
        List<Query> filters = new ArrayList<>();
        if (tag != null && !tag.isBlank()) {
            filters.add(Query.of(q -> q.term(t -> t.field("tags").value(tag))));
        }
        if (format != null && !format.isBlank()) {
            filters.add(Query.of(q -> q.term(t -> t.field("source.format").value(format))));
        }
        if (file != null && !file.isBlank()) {
            filters.add(Query.of(q -> q.term(t -> t.field("source.file").value(file))));
        }
        String text = queryString == null || queryString.isBlank() ? "*" : queryString;
        Query query = Query.of(q -> q.bool(b -> b.must(m -> m.queryString(s -> s.query(text).defaultField("*").lenient(true))).filter(filters)));
        SearchResponse<ObjectNode> first;
        try {
            first = es.search(s -> s.index(alias).query(query).size(size).trackTotalHits(t -> t.enabled(true))
                    .sort(o -> o.field(f -> f.field(TIME_FIELD).order(SortOrder.Desc).unmappedType(co.elastic.clients.elasticsearch._types.mapping.FieldType.Date)))
                    .aggregations("tags", a -> a.terms(t -> t.field("tags").size(TOP_TAGS)))
                    .aggregations("formats", a -> a.terms(t -> t.field("source.format").size(20)))
                    .aggregations("files", a -> a.terms(t -> t.field("source.file").size(200)))
                    .aggregations("first", a -> a.min(m -> m.field(TIME_FIELD)))
                    .aggregations("last", a -> a.max(m -> m.field(TIME_FIELD))), ObjectNode.class);
        } catch (co.elastic.clients.elasticsearch._types.ElasticsearchException e) {
            if (e.status() == 400) {
                throw new BadQueryException(e.error().reason() != null ? e.error().reason() : e.getMessage());
            }
            throw e;
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("total", first.hits().total() == null ? first.hits().hits().size() : first.hits().total().value());
        ArrayNode hits = out.putArray("hits");
        for (Hit<ObjectNode> h : first.hits().hits()) {
            hits.add(h.source() == null ? JSON.createObjectNode().put("itemId", h.id()) : h.source());
        }
        out.set("topTags", terms(first.aggregations().get("tags"), true));
        out.set("formats", terms(first.aggregations().get("formats"), false));
        out.set("files", terms(first.aggregations().get("files"), false));
        Double min = first.aggregations().get("first").min().value();
        Double max = first.aggregations().get("last").max().value();
        if (min != null && max != null && !min.isInfinite() && !max.isInfinite()) {
            out.set("overTime", overTime(query, min.longValue(), max.longValue(), first.aggregations().get("tags")));
        }
        return out;
    }

    private static ArrayNode terms(Aggregate agg, boolean withOther) {
        ArrayNode out = JSON.createArrayNode();
        for (StringTermsBucket b : agg.sterms().buckets().array()) {
            out.addObject().put("key", b.key().stringValue()).put("count", b.docCount());
        }
        if (withOther && agg.sterms().sumOtherDocCount() != null && agg.sterms().sumOtherDocCount() > 0) {
            out.addObject().put("key", "Other").put("count", agg.sterms().sumOtherDocCount()).put("other", true);
        }
        return out;
    }

    private ObjectNode overTime(Query query, long from, long to, Aggregate tags) throws IOException {
        Duration interval = interval(Duration.ofMillis(Math.max(1, to - from)));
        String fixed = interval.toSeconds() + "s";
        List<String> top = tags.sterms().buckets().array().stream().limit(TAGS_OVER_TIME).map(b -> b.key().stringValue()).toList();
        List<FieldValue> topValues = top.stream().map(FieldValue::of).toList();
        SearchResponse<Void> r = es.search(s -> s.index(alias).query(query).size(0)
                .aggregations("tags", a -> a.terms(t -> t.field("tags").size(TAGS_OVER_TIME))
                        .aggregations("time", h -> h.dateHistogram(d -> d.field(TIME_FIELD).fixedInterval(i -> i.time(fixed)).minDocCount(0)
                                .extendedBounds(e -> e.min(co.elastic.clients.elasticsearch._types.aggregations.FieldDateMath.of(m -> m.value((double) from)))
                                        .max(co.elastic.clients.elasticsearch._types.aggregations.FieldDateMath.of(m -> m.value((double) to)))))))
                .aggregations("other", a -> a.filter(f -> f.bool(b -> b.mustNot(m -> m.terms(t -> t.field("tags").terms(v -> v.value(topValues))))))
                        .aggregations("time", h -> h.dateHistogram(d -> d.field(TIME_FIELD).fixedInterval(i -> i.time(fixed)).minDocCount(0)
                                .extendedBounds(e -> e.min(co.elastic.clients.elasticsearch._types.aggregations.FieldDateMath.of(m -> m.value((double) from)))
                                        .max(co.elastic.clients.elasticsearch._types.aggregations.FieldDateMath.of(m -> m.value((double) to))))))), Void.class);
        ObjectNode out = JSON.createObjectNode();
        out.put("field", TIME_FIELD).put("interval", fixed).put("intervalMillis", interval.toMillis()).put("from", from).put("to", to);
        ArrayNode series = out.putArray("series");
        for (StringTermsBucket b : r.aggregations().get("tags").sterms().buckets().array()) {
            ArrayNode points = series.addObject().put("tag", b.key().stringValue()).putArray("points");
            b.aggregations().get("time").dateHistogram().buckets().array().forEach(p -> points.addArray().add(p.key()).add(p.docCount()));
        }
        var other = r.aggregations().get("other").filter();
        if (other.docCount() > 0) {
            ArrayNode points = series.addObject().put("tag", "Other").putArray("points");
            other.aggregations().get("time").dateHistogram().buckets().array().forEach(p -> points.addArray().add(p.key()).add(p.docCount()));
        }
        return out;
    }
}
