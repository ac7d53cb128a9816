package dev.digestflow.localstack.process;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Entry point of every child JVM that local-stack launches for a third-party main class (the Kafka
 * broker): {@code ParentWatchingMain <main-class> <args...>}.
 *
 * <p>It runs the real main class and, beside it, watches stdin. The parent holds the other end of
 * that pipe and never writes to it, so EOF means the parent is gone, even after {@code kill -9},
 * and the child exits through its shutdown hooks instead of surviving as an orphan.
 */
public final class ParentWatchingMain {

    private ParentWatchingMain() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 1) {
            System.err.println("usage: ParentWatchingMain <main-class> [args...]");
            System.exit(2);
        }
        Thread watcher = new Thread(ParentWatchingMain::exitOnStdinEof, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
        Class.forName(args[0]).getMethod("main", String[].class)
                .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }

    private static void exitOnStdinEof() {
        try (InputStream in = System.in) {
            byte[] buffer = new byte[64];
            while (in.read(buffer) >= 0) {
                // The parent never writes; reading only waits for EOF.
            }
        } catch (IOException ignored) {
            // A broken pipe also means the parent is gone.
        }
        System.err.println("parent process is gone: shutting down");
        System.exit(0);
    }
}
