package dev.digestflow.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.apache.kafka.common.config.ConfigException;

import dev.digestflow.enrich.config.EnrichConfig;
import dev.digestflow.enrich.taxonomy.Taxonomy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./digestflow check}: builds the three services' configurations exactly as {@code up} would
 * (its defaults, the file, the {@code DIGESTFLOW_*} variables) and loads the taxonomy, without
 * starting anything, as {@code filebeat test config} does. Exit 0, or 2 with the key named.
 */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Validate the configuration and the taxonomy without starting anything.")
final class CheckCommand implements Callable<Integer> {

    @Option(names = "--home", defaultValue = "${env:DIGESTFLOW_HOME:-digestflow-home}", description = "The home up would use (default: $DIGESTFLOW_HOME, else digestflow-home).")
    Path home;

    @Option(names = "--config", description = "The file up would take with --config.")
    Path config;

    @Override
    public Integer call() {
        try {
            UpConfiguration user = UpConfiguration.load(config, System.getenv());
            Pipeline.Configs configs = Pipeline.configs("127.0.0.1:9092", "http://127.0.0.1:8081", "http://127.0.0.1:9200", PipelineNames.defaults(),
                    home.toAbsolutePath().normalize(), Pipeline.Ports.contract(), user);
            String taxonomyFile = configs.enrich().getString(EnrichConfig.TAXONOMY_FILE);
            Taxonomy taxonomy = taxonomyFile.isBlank() ? Taxonomy.defaults() : Taxonomy.load(Path.of(taxonomyFile));
            System.out.println("configuration OK: ingest-producer, enrich-streams and index-sink accept their settings");
            System.out.println("  settings  " + (user.applied().isEmpty() ? "defaults (no --config file, no DIGESTFLOW_* variable)" : String.join("; ", user.applied())));
            System.out.println(String.format(Locale.ROOT, "  taxonomy  %s: %s", taxonomyFile.isBlank() ? "the default" : taxonomyFile,
                    taxonomy.summary()));
            return 0;
        } catch (ConfigException e) {
            System.err.println("invalid configuration: " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            System.err.println("invalid configuration: " + e.getMessage());
            return 2;
        }
    }
}
