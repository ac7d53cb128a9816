package dev.digestflow.app.console;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;

/**
 * The last warning or error each service logged, for the console's "last error" of a stage: a
 * Logback appender on the root logger of {@code up}'s JVM, where the three services run. It keeps
 * what the log file says (the services' log lines carry no secrets), not a second account of it.
 */
public final class RecentProblems extends AppenderBase<ILoggingEvent> {

    /** One log line: when, how bad, which service, what it said. */
    public record Problem(long at, String level, String service, String logger, String message) {
    }

    private static final int KEPT = 50;
    private final Map<String, Problem> lastByService = new LinkedHashMap<>();
    private final Deque<Problem> recent = new ArrayDeque<>();

    /** Attached to the root logger of the running Logback; {@link #stop()} detaches it. */
    public static RecentProblems attach() {
        RecentProblems appender = new RecentProblems();
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            appender.setContext(context);
            appender.setName("digestflow-console-problems");
            appender.start();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        }
        return appender;
    }

    /** Which service a logger belongs to, by package (Streams' own loggers count as enrich-streams). */
    static String serviceOf(String logger) {
        if (logger.startsWith("dev.digestflow.ingest")) {
            return "ingest-producer";
        }
        if (logger.startsWith("dev.digestflow.enrich") || logger.startsWith("org.apache.kafka.streams")) {
            return "enrich-streams";
        }
        if (logger.startsWith("dev.digestflow.sink") || logger.startsWith("co.elastic") || logger.startsWith("org.elasticsearch.client")) {
            return "index-sink";
        }
        return "other";
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!event.getLevel().isGreaterOrEqual(Level.WARN)) {
            return;
        }
        String message = event.getFormattedMessage();
        IThrowableProxy t = event.getThrowableProxy();
        if (t != null) {
            message = message + " (" + t.getClassName() + ": " + t.getMessage() + ")";
        }
        Problem p = new Problem(event.getTimeStamp(), event.getLevel().toString(), serviceOf(event.getLoggerName()), event.getLoggerName(),
                message.length() > 2000 ? message.substring(0, 2000) + "…" : message);
        synchronized (this) {
            lastByService.put(p.service(), p);
            recent.addLast(p);
            if (recent.size() > KEPT) {
                recent.removeFirst();
            }
        }
    }

    public synchronized Problem last(String service) {
        return lastByService.get(service);
    }

    public synchronized List<Problem> recent() {
        return List.copyOf(recent);
    }

    @Override
    public void stop() {
        if (getContext() instanceof LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(this);
        }
        super.stop();
    }
}
