package dev.digestflow.localstack.elasticsearch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.digestflow.esnode.EsNodeMain;
import dev.digestflow.localstack.process.ChildJvm;
import dev.digestflow.localstack.process.Classpaths;

/**
 * A real Elasticsearch node in a child JVM whose classpath holds only the server artifacts (see the
 * es-node module), with its data under the data directory.
 */
public final class ElasticsearchNode implements AutoCloseable {

    private final int httpPort;
    private final ChildJvm jvm;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    public ElasticsearchNode(Path home, Path logFile, int httpPort, int transportPort, int heapMb) {
        this.httpPort = httpPort;
        this.jvm = new ChildJvm("elasticsearch", Classpaths.of(EsNodeMain.class, "es-node.classpath"),
                List.of("-Xms" + heapMb + "m", "-Xmx" + heapMb + "m", "-XX:+UseG1GC",
                        "-Dfile.encoding=UTF-8", "-Djava.awt.headless=true",
                        // Elasticsearch refuses to run without these on JDK 17.
                        "--add-opens=java.base/java.io=ALL-UNNAMED", "-Dlog4j2.disable.jmx=true",
                        "-Des.networkaddress.cache.ttl=60"),
                EsNodeMain.class.getName(), List.of(home.toString(), String.valueOf(httpPort), String.valueOf(transportPort)),
                logFile);
    }

    public void start() throws IOException {
        jvm.start();
    }

    /** Waits until cluster health is yellow or green. */
    public void awaitReady(Duration timeout) {
        jvm.awaitReady(this::healthy, timeout);
    }

    /** Whether the node answers cluster health with yellow or green. */
    public boolean healthy() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && !response.body().contains("\"status\":\"red\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public ChildJvm process() {
        return jvm;
    }

    @Override
    public void close() {
        jvm.stop();
    }
}
