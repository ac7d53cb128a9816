package dev.digestflow.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./digestflow status}: counts per stage, top tags and the reconciliation; exit 3 when counts disagree. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Counts per stage, top tags, and whether input and index reconcile.")
final class StatusCommand implements Callable<Integer> {

    @Mixin
    InstanceHome home;

    @Option(names = "--json", description = "One JSON object (counts, reconciled, disagreements, partial reads) for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        var endpoints = home.endpoints();
        if (endpoints.isEmpty()) {
            return 2;
        }
        StatusReport report = StatusReport.collect(endpoints.get(), PipelineNames.defaults());
        System.out.print(json ? report.toJson() + System.lineSeparator() : report.render());
        return report.reconciled() ? 0 : 3;
    }
}
