package dev.digestflow.app.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What every console request must pass, apart from the web framework so that it is unit-tested:
 * <ul>
 * <li>on loopback, the {@code Host} must name loopback (a page of another site that re-points its
 * name at 127.0.0.1, "DNS rebinding", is refused);</li>
 * <li>the basic-auth user, when one is set (compared in constant time);</li>
 * <li>a state-changing request (POST) must come from the console's own pages: its {@code Origin}
 * is the console's, or, without an {@code Origin} (curl, scripts), its body is JSON, which no other
 * site's page can send here without a CORS preflight that the console never answers.</li>
 * </ul>
 */
public final class RequestGuard {

    /** The verdict: null reason means the request may go on. */
    public record Verdict(int status, String reason) {
        static final Verdict OK = new Verdict(200, null);

        public boolean allowed() {
            return reason == null;
        }
    }

    private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]");

    private final boolean loopbackOnly;
    private final Optional<ConsoleSettings.Credentials> credentials;

    public RequestGuard(ConsoleSettings settings) {
        this.loopbackOnly = ConsoleSettings.isLoopback(settings.bindAddress());
        this.credentials = settings.credentials();
    }

    public Verdict check(String method, String host, String origin, String contentType, String authorization) {
        if (loopbackOnly && !loopbackHost(host)) {
            return new Verdict(403, "this console answers to 127.0.0.1 or localhost only, not to Host: " + host);
        }
        if (credentials.isPresent() && !authorized(authorization)) {
            return new Verdict(401, "the console needs its user and password");
        }
        if (!"GET".equalsIgnoreCase(method) && !"HEAD".equalsIgnoreCase(method)) {
            if (origin != null && !origin.isEmpty()) {
                if (host == null || !(origin.equalsIgnoreCase("http://" + host) || origin.equalsIgnoreCase("https://" + host))) {
                    return new Verdict(403, "a " + method + " from " + origin + " is refused: only the console's own pages change state");
                }
            } else if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                return new Verdict(403, "a " + method + " without an Origin must send its body as application/json");
            }
        }
        return Verdict.OK;
    }

    static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon > 0 && name.indexOf(']') < colon) {
            name = name.substring(0, colon);
        }
        return LOOPBACK_NAMES.contains(name);
    }

    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(authorization.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        ConsoleSettings.Credentials c = credentials.orElseThrow();
        byte[] expected = (c.user() + ":" + c.password()).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }
}
