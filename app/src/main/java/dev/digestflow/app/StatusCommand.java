package dev.digestflow.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./digestflow status}: counts per stage, top tags and the reconciliation; exit 3 when counts disagree. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Counts per stage, top tags, and whether input and index reconcile.")
final class StatusCommand implements Callable<Integer> {

    @Option(names = "--home", defaultValue = "digestflow-home", description = "The instance's home (default: ${DEFAULT-VALUE}).")
    Path home;

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
        System.out.print(report.render());
        return report.reconciled() ? 0 : 3;
    }
}
