package dev.digestflow.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./digestflow}: the one command of the project. */
@Command(name = "digestflow", mixinStandardHelpOptions = true, version = "digestflow 0.1.0",
        description = "Digest files in, tagged searchable documents out: Kafka, Kafka Streams and Elasticsearch on one machine.",
        subcommands = {UpCommand.class, StatusCommand.class, IngestCommand.class, CheckCommand.class, RetagCommand.class, DlqCommand.class, CommandLine.HelpCommand.class},
        // bench lives in its own module (it depends on this one); the ./digestflow script routes to it.
        footer = {"", "  bench      Measure throughput and latency against raw baselines: ./digestflow bench --help"})
public final class DigestflowCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "digestflow-app-logback.xml");
        }
        System.exit(new CommandLine(new DigestflowCli()).execute(args));
    }
}
