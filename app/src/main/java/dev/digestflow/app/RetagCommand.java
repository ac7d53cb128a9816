package dev.digestflow.app;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.digestflow.enrich.EnrichService;
import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.enrich.retag.Retagging;
import dev.digestflow.enrich.taxonomy.Tagger;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import dev.digestflow.schema.TaggedItem;
import dev.digestflow.schema.serde.ConfluentAvroDeserializer;
import dev.digestflow.schema.serde.ConfluentAvroSerializer;
import dev.digestflow.service.config.KafkaServiceConfig;
import dev.digestflow.service.kafka.TopicSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./digestflow retag}: re-tags the items already tagged with the taxonomy in use now (the one
 * {@code up} is configured with). Each item's latest record on the tagged topic holds the raw item as
 * first seen; the items whose tags change get a new version of their record, same key, on the tagged
 * topic (and the per-tag topics of their new tags), marked with a {@value #RETAG_HEADER} header. The
 * sink indexes it over the old document, subscribers see the update: never a new item.
 */
@Command(name = "retag", mixinStandardHelpOptions = true, description = "Re-tag the items already indexed with the current taxonomy.")
final class RetagCommand implements Callable<Integer> {

    /** Header on a record written by retag: the taxonomy version that re-tagged it. */
    static final String RETAG_HEADER = "digestflow.retag";

    @Mixin
    InstanceHome home;

    @Option(names = "--config", description = "The file up was started with (for taxonomy.file and the Kafka settings).")
    Path config;

    @Option(names = "--since", description = "Only items first seen on or after this date (yyyy-mm-dd, UTC) or instant (ISO-8601).")
    String since;

    @Option(names = "--dry-run", description = "Say what would change; write nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        var found = home.endpoints();
        if (found.isEmpty()) {
            return 2;
        }
        Endpoints endpoints = found.get();
        Instant from;
        try {
            from = since == null ? null : since.length() == 10 ? LocalDate.parse(since).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(since);
        } catch (java.time.format.DateTimeParseException e) {
            System.err.println("--since: not a date (yyyy-mm-dd) or an ISO-8601 instant: " + since);
            return 2;
        }
        EnrichConfig enrich;
        try {
            enrich = Pipeline.configs(endpoints.bootstrapServers(), endpoints.registryUrl(), endpoints.elasticsearchUrl(), PipelineNames.defaults(),
                    home.path(), Pipeline.Ports.any(), UpConfiguration.load(config, System.getenv())).enrich();
        } catch (org.apache.kafka.common.config.ConfigException e) {
            System.err.println("invalid configuration: " + e.getMessage());
            return 2;
        }
        Result result = retag(enrich, from, dryRun, Instant.now());
        System.out.print(result.render());
        return 0;
    }

    /** What a run did, for the command's output and the tests. */
    record Result(String taxonomyVersion, int examined, int written, Retagging.Plan plan, boolean dryRun) {

        String render() {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "taxonomy %s: %d items examined, %d with new tags%s%n", taxonomyVersion,
                    examined, plan.updates().size(), dryRun ? " (dry run: nothing written)" : ", " + written + " records written"));
            if (!plan.updates().isEmpty()) {
                out.append(plan.table());
            }
            return out.toString();
        }
    }

    static Result retag(EnrichConfig enrich, Instant since, boolean dryRun, Instant now) throws Exception {
        String file = enrich.getString(EnrichConfig.TAXONOMY_FILE);
        Taxonomy taxonomy = file.isBlank() ? Taxonomy.defaults() : Taxonomy.load(Path.of(file));
        String tagged = enrich.getString(EnrichConfig.TAGGED_TOPIC);
        Map<String, Object> serde = enrich.serdeConfig();
        Map<String, TaggedItem> latest = new LinkedHashMap<>();
        Map<String, Object> consumerProps = new java.util.HashMap<>(enrich.clientSettings(KafkaServiceConfig.Client.CONSUMER));
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, enrich.getString(EnrichConfig.BOOTSTRAP_SERVERS));
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, "digestflow-retag");
        try (ConfluentAvroDeserializer<TaggedItem> values = new ConfluentAvroDeserializer<>(TaggedItem.class);
                KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            values.configure(serde, false);
            for (ConsumerRecord<String, byte[]> r : TopicSnapshot.readAll(consumer, tagged, Duration.ofMinutes(5))) {
                if (r.key() != null && r.value() != null) {
                    latest.put(r.key(), values.deserialize(r.topic(), r.headers(), r.value()));
                }
            }
        }
        Retagging.Plan plan = Retagging.plan(latest, new Tagger(taxonomy), since, now);
        int written = 0;
        if (!dryRun && !plan.updates().isEmpty()) {
            boolean tagTopics = enrich.getBoolean(EnrichConfig.TAG_TOPICS_ENABLED);
            if (tagTopics) {
                EnrichService.ensureTopics(enrich, taxonomy);
            }
            Map<String, Object> producerProps = new java.util.HashMap<>(enrich.clientSettings(KafkaServiceConfig.Client.PRODUCER));
            producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, enrich.getString(EnrichConfig.BOOTSTRAP_SERVERS));
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            ConfluentAvroSerializer<TaggedItem> serializer = new ConfluentAvroSerializer<>();
            serializer.configure(serde, false);
            try (KafkaProducer<String, TaggedItem> producer = new KafkaProducer<>(producerProps, new StringSerializer(), serializer)) {
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                byte[] version = taxonomy.version().getBytes(StandardCharsets.UTF_8);
                for (Retagging.Update u : plan.updates()) {
                    ProducerRecord<String, TaggedItem> main = new ProducerRecord<>(tagged, u.key(), u.record());
                    main.headers().add(RETAG_HEADER, version);
                    acks.add(producer.send(main));
                    if (tagTopics) {
                        for (String tag : u.record().getTags()) {
                            ProducerRecord<String, TaggedItem> copy = new ProducerRecord<>(enrich.getString(EnrichConfig.TAG_TOPIC_PREFIX) + tag, u.key(), u.record());
                            copy.headers().add(RETAG_HEADER, version);
                            copy.headers().add("digestflow.tag", tag.getBytes(StandardCharsets.UTF_8));
                            acks.add(producer.send(copy));
                        }
                    }
                }
                producer.flush();
                for (Future<RecordMetadata> a : acks) {
                    a.get();
                }
                written = acks.size();
            }
        }
        return new Result(taxonomy.version(), plan.examined(), written, plan, dryRun);
    }
}
