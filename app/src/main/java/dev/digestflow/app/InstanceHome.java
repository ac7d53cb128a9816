package dev.digestflow.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import picocli.CommandLine.Option;

/**
 * {@code --home} for the commands that talk to a running instance (status, ingest, retag): its
 * default comes from {@code DIGESTFLOW_HOME}, so they work from any folder.
 */
final class InstanceHome {

    @Option(names = "--home", defaultValue = "${env:DIGESTFLOW_HOME:-digestflow-home}",
            description = "The running instance's home (default: $DIGESTFLOW_HOME, else digestflow-home).")
    Path home;

    Path path() {
        return home.toAbsolutePath().normalize();
    }

    /** The running instance's endpoints; empty after saying on standard error why there is none (the caller exits 2). */
    Optional<Endpoints> endpoints() {
        try {
            return Optional.of(Endpoints.read(path()));
        } catch (IOException e) {
            System.err.println(e.getMessage());
            return Optional.empty();
        }
    }
}
