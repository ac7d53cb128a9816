package dev.digestflow.app;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import sun.misc.Signal;

/**
 * Ctrl-C for {@code up}, as people press it: the first press stops everything in order (services,
 * then the stack) and exits 130; a second press while that runs says what the stop is waiting for;
 * a third stops at once (the children, whose stdin pipe then closes, stop themselves; the next start
 * recovers from the unclean stop, which takes longer).
 *
 * <p>The JVM's own SIGINT handling cannot do this: it starts the shutdown hooks once and ignores the
 * presses after that, so a stop that waits on a slow Elasticsearch looks hung. {@code sun.misc.Signal}
 * (module jdk.unsupported, on every JDK) runs each press on a thread of its own.
 */
final class TerminalInterrupts {

    static final int EXIT_CODE = 130;

    private final AtomicInteger presses = new AtomicInteger();
    private final Supplier<String> waitingFor;

    private TerminalInterrupts(Supplier<String> waitingFor) {
        this.waitingFor = waitingFor;
    }

    /** Replaces the JVM's SIGINT handling; {@code waitingFor} names what the stop is doing now. */
    static void install(Supplier<String> waitingFor) {
        TerminalInterrupts interrupts = new TerminalInterrupts(waitingFor);
        Signal.handle(new Signal("INT"), signal -> interrupts.pressed());
    }

    private void pressed() {
        int n = presses.incrementAndGet();
        if (n == 1) {
            UpCommand.say("Ctrl-C: stopping in order (Ctrl-C again to see what the stop waits for) ...");
            // System.exit runs the shutdown hook and blocks until it is done: not on the signal's thread.
            Thread exit = new Thread(() -> System.exit(EXIT_CODE), "digestflow-ctrl-c");
            exit.start();
        } else if (n == 2) {
            UpCommand.say("still stopping: waiting for " + waitingFor.get()
                    + ". Ctrl-C once more stops at once (the next start then has to recover, which takes longer).");
        } else {
            UpCommand.say("stopping at once, without waiting for " + waitingFor.get() + ".");
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }
}
