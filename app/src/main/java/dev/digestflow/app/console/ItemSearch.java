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
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.FieldDateMath;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;

/**
 * The Items page: a query-string search with filters, and the same two charts as Kibana's dashboard
 * ({@code dashboards/digestflow.ndjson}), built from the same fields and buckets so one can be checked
 * against the other: <b>top tags</b> (terms on {@code tags}, 20, plus "Other") and <b>items over
 * time by tag</b> (the 10 top tags, each a date histogram on {@code ingestedAt}, plus "Other": the
 * items with none of them). The interval is the one Kibana's "auto" picks for the shown range
 * ({@link #interval}); the console's range is the data's, Kibana's the time picker's.
 */
public final class ItemSearch {

    /** Kibana's {@code histogram:barTarget} and {@code histogram:maxBars} defaults. */
    static final int BAR_TARGET = 50;
    static final int MAX_BARS = 100;
    /**
     * Kibana's rounding rules for the auto interval ({@code calc_auto_interval.ts}): a per-bar target
     * at or above a bound gets the interval of the bound before it. A month and a year are calendar
     * intervals in Kibana and here.
     */
    private static final long[][] BOUNDS_DESCENDING = {
        {Long.MAX_VALUE, days(365)}, {days(365), days(30)}, {days(21), days(7)}, {days(7), days(1)}, {hours(24), hours(12)}, {hours(6), hours(3)},
        {hours(2), hours(1)}, {minutes(45), minutes(30)}, {minutes(20), minutes(10)}, {minutes(9), minutes(5)}, {minutes(3), minutes(1)},
        {45_000, 30_000}, {15_000, 10_000}, {7_500, 5_000}, {5_000, 1_000}, {500, 100}};

    private static long days(long n) {
        return n * 86_400_000L;
    }

    private static long hours(long n) {
        return n * 3_600_000L;
    }

    private static long minutes(long n) {
        return n * 60_000L;
    }

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

    /**
     * The interval Kibana's "auto" picks for a range: {@code calcAutoIntervalNear(barTarget, range)},
     * raised to {@code calcAutoIntervalLessThan(maxBars, range)} when it would draw more bars.
     */
    static Duration interval(Duration range) {
        double target = (double) range.toMillis() / BAR_TARGET;
        long near = Math.max((long) Math.floor(target), 1);
        for (int i = 1; i < BOUNDS_DESCENDING.length; i++) {
            if (BOUNDS_DESCENDING[i][0] <= target) {
                near = BOUNDS_DESCENDING[i - 1][1];
                break;
            }
        }
        double maxPerBar = (double) range.toMillis() / MAX_BARS;
        long least = Math.max((long) Math.floor(maxPerBar), 1);
        for (long[] rule : BOUNDS_DESCENDING) {
            if (rule[1] <= maxPerBar) {
                least = rule[1];
                break;
            }
        }
        return Duration.ofMillis(Math.max(near, least));
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

    /** Weeks, months and years are calendar intervals (as Kibana sends them); the rest fixed. */
    private static co.elastic.clients.elasticsearch._types.aggregations.DateHistogramAggregation.Builder bucketed(
            co.elastic.clients.elasticsearch._types.aggregations.DateHistogramAggregation.Builder d, Duration interval) {
        long ms = interval.toMillis();
        if (ms == days(7)) {
            return d.calendarInterval(co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval.Week);
        }
        if (ms == days(30)) {
            return d.calendarInterval(co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval.Month);
        }
        if (ms == days(365)) {
            return d.calendarInterval(co.elastic.clients.elasticsearch._types.aggregations.CalendarInterval.Year);
        }
        return d.fixedInterval(i -> i.time(ms + "ms"));
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
        String fixed = interval.toMillis() + "ms";
        List<String> top = tags.sterms().buckets().array().stream().limit(TAGS_OVER_TIME).map(b -> b.key().stringValue()).toList();
        List<FieldValue> topValues = top.stream().map(FieldValue::of).toList();
        // One histogram, under each top tag and under "Other": the same buckets for every series.
        Aggregation time = Aggregation.of(h -> h.dateHistogram(d -> bucketed(d.field(TIME_FIELD), interval).minDocCount(0)
                .extendedBounds(e -> e.min(FieldDateMath.of(m -> m.value((double) from))).max(FieldDateMath.of(m -> m.value((double) to))))));
        SearchResponse<Void> r = es.search(s -> s.index(alias).query(query).size(0)
                .aggregations("tags", a -> a.terms(t -> t.field("tags").size(TAGS_OVER_TIME)).aggregations("time", time))
                .aggregations("other", a -> a.filter(f -> f.bool(b -> b.mustNot(m -> m.terms(t -> t.field("tags").terms(v -> v.value(topValues))))))
                        .aggregations("time", time)), Void.class);
        ObjectNode out = JSON.createObjectNode();
        out.put("field", TIME_FIELD).put("interval", fixed).put("intervalMillis", interval.toMillis()).put("from", from).put("to", to);
        ArrayNode series = out.putArray("series");
        for (StringTermsBucket b : r.aggregations().get("tags").sterms().buckets().array()) {
            addSeries(series, b.key().stringValue(), b.aggregations().get("time"));
        }
        var other = r.aggregations().get("other").filter();
        if (other.docCount() > 0) {
            addSeries(series, "Other", other.aggregations().get("time"));
        }
        return out;
    }

    private static void addSeries(ArrayNode series, String tag, Aggregate histogram) {
        ArrayNode points = series.addObject().put("tag", tag).putArray("points");
        histogram.dateHistogram().buckets().array().forEach(p -> points.addArray().add(p.key()).add(p.docCount()));
    }
}
