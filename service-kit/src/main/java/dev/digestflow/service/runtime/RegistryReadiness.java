package dev.digestflow.service.runtime;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import dev.digestflow.schema.registry.RestSchemaRegistryClient;
import dev.digestflow.schema.registry.SchemaRegistryException;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import dev.digestflow.service.config.RedactedUrls;
import dev.digestflow.schema.retry.Backoff;

/**
 * Start-up gate for a service that needs the schema registry: waits until it answers, saying on
 * every attempt what is wrong and when the next try is, with exponential backoff and jitter, and
 * gives up with a message naming the URL and the setting after a timeout. A registry that starts
 * after the services (a common order under docker-compose or Kubernetes) thus costs a few log lines,
 * not a crash loop.
 */
public final class RegistryReadiness {

    static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private RegistryReadiness() {
    }

    /**
     * Returns once {@code GET /subjects} answers.
     *
     * @param serdeConfig the service's serde settings (URL, auth, TLS)
     * @param log where each failed attempt is reported
     * @throws IllegalStateException when the registry did not answer within {@code timeout}
     */
    public static void await(Map<String, ?> serdeConfig, Duration timeout, Consumer<String> log) throws InterruptedException {
        Map<String, Object> config = new HashMap<>(serdeConfig);
        config.put(AvroSerdeConfig.MAX_RETRIES, 0); // this loop does the retrying, and says so
        String url = RedactedUrls.of(String.valueOf(config.get(AvroSerdeConfig.SCHEMA_REGISTRY_URL)));
        if (url.startsWith("mock://")) {
            return; // the in-memory registry of tests is always there
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Backoff backoff = new Backoff(FIRST_BACKOFF, MAX_BACKOFF, new Random());
        for (int attempt = 1;; attempt++) {
            try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(new AvroSerdeConfig(config))) {
                client.subjects();
                if (attempt > 1) {
                    log.accept("schema registry at " + url + " answers after " + attempt + " attempts; starting");
                }
                return;
            } catch (RuntimeException e) {
                if (e instanceof SchemaRegistryException r && (r.httpStatus() == 401 || r.httpStatus() == 403)) {
                    // Waiting does not fix credentials: say so at once.
                    throw new IllegalStateException("schema registry at " + url + " refused the credentials (HTTP " + r.httpStatus() + "): check "
                            + AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE + " and " + AvroSerdeConfig.BASIC_AUTH_USER_INFO
                            + " (for the services: kafka." + AvroSerdeConfig.BASIC_AUTH_USER_INFO + ", DIGESTFLOW_KAFKA_BASIC_AUTH_USER_INFO)", e);
                }
                String cause = describe(e);
                Duration delay = backoff.delay(Math.min(attempt - 1, 30));
                if (System.nanoTime() + delay.toNanos() > deadline) {
                    throw new IllegalStateException("schema registry at " + url + " did not answer within " + timeout.toSeconds() + " s (last error: "
                            + cause + "). Check " + AvroSerdeConfig.SCHEMA_REGISTRY_URL + " and that the registry is running.", e);
                }
                log.accept("schema registry at " + url + " is not reachable (" + cause + "); start-up waits: attempt " + attempt + ", next try in "
                        + delay.toMillis() + " ms, giving up after " + timeout.toSeconds() + " s");
                Thread.sleep(delay.toMillis());
            }
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getClass().getSimpleName() + ": " + root.getMessage();
        return RedactedUrls.of(root == e ? message : e.getMessage() + " <- " + message);
    }
}
