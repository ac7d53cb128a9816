package dev.digestflow.esnode;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.MockNode;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.transport.netty4.Netty4Plugin;

/**
 * Runs one single-node Elasticsearch in this JVM until stdin reaches EOF or the JVM gets SIGTERM.
 *
 * <p>Usage: {@code EsNodeMain <home-dir> <http-port> <transport-port>}. Watching stdin is how the
 * node dies with its parent even when the parent is killed with -9: the pipe closes and we stop.
 *
 * <p>Settings chosen for a developer machine: single-node discovery, loopback only, and disk-based
 * shard allocation thresholds off, so a nearly full laptop disk does not silently turn indices
 * read-only (writes then fail loudly only when the disk is really full).
 */
public final class EsNodeMain {

    private EsNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: EsNodeMain <home-dir> <http-port> <transport-port>");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));
        Files.createDirectories(home.resolve("config"));
        Settings settings = Settings.builder()
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("cluster.name", "digestflow-local")
                .put("node.name", "digestflow-es")
                .put("discovery.type", "single-node")
                .put("network.host", "127.0.0.1")
                .put("http.port", args[1])
                .put("transport.port", args[2])
                .put("http.type", "netty4")
                .put("transport.type", "netty4")
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("action.destructive_requires_name", false)
                .build();
        LogConfigurator.configureESLogging();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "digestflow-es");
        Node node = newMockNode(environment, List.of(Netty4Plugin.class, RestRootPlugin.class));
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                System.err.println("error while stopping Elasticsearch: " + e);
            } finally {
                stopped.countDown();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "es-shutdown"));
        node.start();
        System.out.println("digestflow es-node started: http 127.0.0.1:" + args[1]);
        watchParent();
        stopped.await();
    }

    /**
     * MockNode's public constructors reach into the Lucene test framework, which cannot be on this
     * classpath; the environment-taking one does not, but it is private.
     */
    private static Node newMockNode(Environment environment, Collection<Class<? extends Plugin>> plugins) throws Exception {
        Constructor<MockNode> ctor = MockNode.class.getDeclaredConstructor(Environment.class, Collection.class,
                boolean.class, Closeable.class);
        ctor.setAccessible(true);
        Closeable noEntitlements = () -> { };
        return ctor.newInstance(environment, plugins, false, noEntitlements);
    }

    /** Exits (running the shutdown hook) when the parent closes our stdin, e.g. because it died. */
    private static void watchParent() {
        Thread watcher = new Thread(() -> {
            try (InputStream in = System.in) {
                byte[] buffer = new byte[64];
                while (in.read(buffer) >= 0) {
                    // Parent keeps the pipe open and silent while it lives.
                }
            } catch (IOException ignored) {
                // A broken pipe means the parent is gone, too.
            }
            System.exit(0);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }
}
