package dev.digestflow.app.console;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;

/**
 * Where the console listens and who may open it. Loopback by default; a console opened beyond
 * loopback shows every item and can replay dead letters, so it needs a basic-auth user, given in the
 * environment ({@value #USER_ENV}, {@value #PASSWORD_ENV}), never on the command line where
 * {@code ps} shows it.
 */
public record ConsoleSettings(String bindAddress, int port, Optional<Credentials> credentials) {

    public static final String USER_ENV = "DIGESTFLOW_CONSOLE_USER";
    public static final String PASSWORD_ENV = "DIGESTFLOW_CONSOLE_PASSWORD";

    /** A basic-auth user. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=(hidden)]";
        }
    }

    /** @throws IllegalArgumentException with the reason, for {@code up} to print before anything starts */
    public static ConsoleSettings of(String bindAddress, int port, Map<String, String> env) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--console-port must be 0-65535 (0: any free port), not " + port);
        }
        String user = env.get(USER_ENV);
        String password = env.get(PASSWORD_ENV);
        if ((user == null) != (password == null) || (user != null && (user.isEmpty() || password.isEmpty()))) {
            throw new IllegalArgumentException("the console's basic auth needs both " + USER_ENV + " and " + PASSWORD_ENV + ", not empty");
        }
        Optional<Credentials> credentials = user == null ? Optional.empty() : Optional.of(new Credentials(user, password));
        if (!isLoopback(bindAddress) && credentials.isEmpty()) {
            throw new IllegalArgumentException("the console would be open beyond loopback (--console-bind " + bindAddress + ") to anyone: it shows every item "
                    + "and can replay dead letters. Set " + USER_ENV + " and " + PASSWORD_ENV + " for a basic-auth user, or bind to 127.0.0.1");
        }
        return new ConsoleSettings(bindAddress, port, credentials);
    }

    static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--console-bind " + address + " is not an address of this machine: " + e.getMessage());
        }
    }
}
