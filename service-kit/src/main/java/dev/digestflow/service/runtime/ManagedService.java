package dev.digestflow.service.runtime;

import dev.digestflow.service.http.OpsHttpServer;

/**
 * What every digestflow service is to the code that runs it ({@link ServiceLauncher} standalone, the
 * app's pipeline under {@code up}): it starts, reports its health, reports the failure that stopped it
 * for good, and closes. A service never exits the JVM itself; its runner decides.
 */
public interface ManagedService extends AutoCloseable {

    /** Starts the work in the service's own threads and returns. */
    void start() throws Exception;

    /** Live and ready, with a line for a person; read once per health request. */
    OpsHttpServer.Health health();

    /**
     * The error that stopped the service for good (its worker died, Streams reached ERROR, a fatal
     * write), or null while it runs or after a clean close. A runner exits non-zero when it is set,
     * so that a supervisor restarts the process.
     */
    Throwable failure();

    /** Stops the work, finishing or handing back what is in flight, and releases every client. */
    @Override
    void close() throws Exception;
}
