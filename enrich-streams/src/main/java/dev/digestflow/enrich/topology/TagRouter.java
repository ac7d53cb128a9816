package dev.digestflow.enrich.topology;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import dev.digestflow.schema.TaggedItem;

/**
 * Multi-label routing: one copy of the item per tag, each marked with a {@value #TAG_HEADER} header
 * that the {@link #topics(String) topic extractor} turns into {@code <prefix><tag>}. Branching would
 * be wrong here: a record takes only the first branch that matches.
 */
final class TagRouter implements Processor<String, TaggedItem, String, TaggedItem> {

    static final String TAG_HEADER = "digestflow.tag";
    private ProcessorContext<String, TaggedItem> context;

    @Override
    public void init(ProcessorContext<String, TaggedItem> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, TaggedItem> record) {
        for (String tag : record.value().getTags()) {
            RecordHeaders headers = new RecordHeaders(record.headers().toArray());
            headers.remove(TAG_HEADER);
            headers.add(TAG_HEADER, tag.getBytes(StandardCharsets.UTF_8));
            context.forward(record.withHeaders(headers));
        }
    }

    /** Picks {@code <prefix><tag>} from the header the router set. */
    static TopicNameExtractor<String, TaggedItem> topics(String prefix) {
        return (String key, TaggedItem value, RecordContext ctx) -> {
            Header h = ctx.headers().lastHeader(TAG_HEADER);
            if (h == null) {
                throw new IllegalStateException("record " + key + " reached the tag topics without a " + TAG_HEADER + " header");
            }
            return prefix + new String(h.value(), StandardCharsets.UTF_8);
        };
    }
}
