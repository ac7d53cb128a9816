package dev.digestflow.app;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.digestflow.app.dlq.DeadLetter;
import dev.digestflow.app.dlq.DeadLetterQueue;
import dev.digestflow.schema.registry.CachedSchemaRegistryClient;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./digestflow dlq list|replay}: read the dead letters, and send chosen ones back to their topic once the cause is fixed. */
@Command(name = "dlq", mixinStandardHelpOptions = true, description = "The dead-letter topic: list its records, replay them to their original topic.",
        subcommands = {DlqCommand.ListLetters.class, DlqCommand.ReplayLetters.class})
final class DlqCommand implements Runnable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The options both subcommands share: the instance, and which dead letters. */
    static final class Selection {
        @Mixin
        InstanceHome home;

        @Option(names = "--stage", description = "Only dead letters of this stage (a prefix: enrich-streams, index-sink, index-sink.elasticsearch, ...).")
        String stage;

        @Option(names = "--id", description = "Only this item id (or one dead letter by its partition@offset).")
        String id;
    }

    static KafkaConsumer<byte[], byte[]> consumer(Endpoints endpoints) {
        return DeadLetterQueue.consumer(endpoints.bootstrapServers(), "digestflow-dlq");
    }

    static KafkaProducer<byte[], byte[]> producer(Endpoints endpoints) {
        return DeadLetterQueue.producer(endpoints.bootstrapServers(), "digestflow-dlq-replay");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Each dead letter: where it is, the stage and reason, its original topic and offset.")
    static final class ListLetters implements Callable<Integer> {
        @Mixin
        Selection selection;

        @Option(names = "--json", description = "One JSON array, with each payload decoded through the schema registry where it can be.")
        boolean json;

        @Override
        public Integer call() {
            var endpoints = selection.home.endpoints();
            if (endpoints.isEmpty()) {
                return 2;
            }
            DeadLetterQueue dlq = new DeadLetterQueue(PipelineNames.defaults().dlq());
            DeadLetterQueue.Listing listing;
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(endpoints.get())) {
                listing = dlq.list(consumer, READ_TIMEOUT);
            }
            List<DeadLetter> chosen = DeadLetterQueue.select(listing.letters(), selection.stage, selection.id);
            if (json) {
                RecordJson decoder = new RecordJson(CachedSchemaRegistryClient.fromConfig(
                        new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, endpoints.get().registryUrl()))));
                ObjectMapper mapper = new ObjectMapper();
                ArrayNode out = mapper.createArrayNode();
                chosen.forEach(d -> out.add(d.toJson().set("payload", decoder.decode(d.value()))));
                System.out.println(out);
            } else {
                System.out.printf(Locale.ROOT, "%d dead letter%s on %s%s%n", chosen.size(), chosen.size() == 1 ? "" : "s", dlq.topic(),
                        chosen.size() == listing.letters().size() ? "" : " chosen of " + listing.letters().size());
                for (DeadLetter d : chosen) {
                    System.out.printf(Locale.ROOT, "%-10s %s  %-30s item %s  from %s/%s@%s%n    %s%n", d.coordinates(), Instant.ofEpochMilli(d.timestamp()),
                            d.stage(), d.itemId(), d.originalTopic(), d.headers().get(dev.digestflow.schema.dlq.DeadLetterHeaders.PARTITION),
                            d.headers().get(dev.digestflow.schema.dlq.DeadLetterHeaders.OFFSET), d.reason());
                }
            }
            if (listing.partialNote() != null) {
                System.err.println("PARTIAL: " + listing.partialNote());
                return 3;
            }
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Re-publish chosen dead letters to their original topic (after their cause is fixed); they go through dedup like any record.")
    static final class ReplayLetters implements Callable<Integer> {
        @Mixin
        Selection selection;

        @Option(names = "--all", description = "Replay every dead letter (needed when neither --stage nor --id is given).")
        boolean all;

        @Option(names = "--dry-run", description = "Say what would be replayed; write nothing.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            if (selection.stage == null && selection.id == null && !all) {
                System.err.println("say which dead letters to replay: --stage S, --id ID, or --all (./digestflow dlq list shows them)");
                return 2;
            }
            var endpoints = selection.home.endpoints();
            if (endpoints.isEmpty()) {
                return 2;
            }
            DeadLetterQueue dlq = new DeadLetterQueue(PipelineNames.defaults().dlq());
            DeadLetterQueue.Listing listing;
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(endpoints.get())) {
                listing = dlq.list(consumer, READ_TIMEOUT);
            }
            if (listing.partialNote() != null) {
                System.err.println("not replaying: the dead-letter topic could not be read to its end (" + listing.partialNote() + ")");
                return 3;
            }
            List<DeadLetter> chosen = DeadLetterQueue.select(listing.letters(), selection.stage, selection.id);
            try (KafkaProducer<byte[], byte[]> producer = producer(endpoints.get())) {
                DeadLetterQueue.Replay replay = dlq.replay(producer, chosen, dryRun);
                System.out.print(replay.render());
                return chosen.isEmpty() ? 1 : 0;
            }
        }
    }
}
