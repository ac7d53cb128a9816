package dev.digestflow.localstack.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Classpaths of the child JVMs. The build writes each one to a resource (maven-dependency-plugin
 * build-classpath); the module's own classes are added from where the anchor class was loaded.
 */
public final class Classpaths {

    private Classpaths() {
    }

    /** The classpath in the resource, plus the code location of the anchor class. */
    public static String of(Class<?> anchor, String resource) {
        try (InputStream in = anchor.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing next to " + anchor.getName()
                        + ": build the project with Maven first (mvn -DskipTests install)");
            }
            String written = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return codeLocation(anchor) + (written.isEmpty() ? "" : java.io.File.pathSeparator + written);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String codeLocation(Class<?> anchor) {
        try {
            return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the code of " + anchor.getName(), e);
        }
    }
}
