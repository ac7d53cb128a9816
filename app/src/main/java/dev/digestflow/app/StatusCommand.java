package dev.digestflow.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./digestflow status}: counts per stage, top tags and the reconciliation; exit 3 when counts disagree. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Counts per stage, top tags, and whether input and index reconcile.")
final class StatusCommand implements Callable<Integer> {

    @Option(names = "--home", defaultValue = "${env:DIGESTFLOW_HOME:-digestflow-home}", description = "The instance's home (default: $DIGESTFLOW_HOME, else digestflow-home).")
    Path home;

    @Option(names = "--json", description = "One JSON object (counts, reconciled, disagreements, partial reads) for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Endpoints endpoints;
        try {
            endpoints = Endpoints.read(home.toAbsolutePath());
        } catch (java.io.IOException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        StatusReport report = StatusReport.collect(endpoints, PipelineNames.defaults());
        System.out.print(json ? report.toJson() + System.lineSeparator() : report.render());
        return report.reconciled() ? 0 : 3;
    }
}
