package dev.digestflow.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RequestGuardTest {

    private static final RequestGuard LOOPBACK = new RequestGuard(ConsoleSettings.of("127.0.0.1", 8090, Map.of()));

    @Test
    void onLoopbackOnlyLoopbackHostNamesAreAnswered() {
        assertThat(LOOPBACK.check("GET", "127.0.0.1:8090", null, null, null).allowed()).isTrue();
        assertThat(LOOPBACK.check("GET", "localhost:8090", null, null, null).allowed()).isTrue();
        assertThat(LOOPBACK.check("GET", "[::1]:8090", null, null, null).allowed()).isTrue();
        // DNS rebinding: a foreign name pointed at 127.0.0.1.
        RequestGuard.Verdict rebound = LOOPBACK.check("GET", "attacker.example:8090", null, null, null);
        assertThat(rebound.allowed()).isFalse();
        assertThat(rebound.status()).isEqualTo(403);
        assertThat(LOOPBACK.check("GET", null, null, null, null).allowed()).isFalse();
    }

    @Test
    void aPostMustComeFromTheConsolesOwnOriginOrBeJsonWithoutOne() {
        assertThat(LOOPBACK.check("POST", "127.0.0.1:8090", "http://127.0.0.1:8090", "application/json", null).allowed()).isTrue();
        assertThat(LOOPBACK.check("POST", "127.0.0.1:8090", "http://evil.example", "application/json", null).status()).isEqualTo(403);
        assertThat(LOOPBACK.check("POST", "127.0.0.1:8090", "http://localhost:8090", "application/json", null).allowed())
                .as("another name of the same machine is another origin").isFalse();
        assertThat(LOOPBACK.check("POST", "127.0.0.1:8090", null, "application/json; charset=utf-8", null).allowed()).isTrue();
        // What a cross-site form can send without a preflight: refused.
        assertThat(LOOPBACK.check("POST", "127.0.0.1:8090", null, "application/x-www-form-urlencoded", null).allowed()).isFalse();
        assertThat(LOOPBACK.check("POST", "127.0.0.1:8090", null, "text/plain", null).allowed()).isFalse();
        assertThat(LOOPBACK.check("POST", "127.0.0.1:8090", null, null, null).allowed()).isFalse();
    }

    @Test
    void beyondLoopbackItNeedsTheUserAndComparesTheWholeCredential() {
        RequestGuard open = new RequestGuard(ConsoleSettings.of("0.0.0.0", 8090,
                Map.of(ConsoleSettings.USER_ENV, "ops", ConsoleSettings.PASSWORD_ENV, "s3cret:with:colons")));
        assertThat(open.check("GET", "console.internal:8090", null, null, null).status()).isEqualTo(401);
        assertThat(open.check("GET", "console.internal:8090", null, null, basic("ops:s3cret:with:colons")).allowed()).isTrue();
        assertThat(open.check("GET", "console.internal:8090", null, null, basic("ops:s3cret")).status()).isEqualTo(401);
        assertThat(open.check("GET", "console.internal:8090", null, null, basic("ops:s3cret:with:colonsX")).status()).isEqualTo(401);
        assertThat(open.check("GET", "console.internal:8090", null, null, "Basic not-base64!").status()).isEqualTo(401);
        assertThat(open.check("GET", "console.internal:8090", null, null, "Bearer abc").status()).isEqualTo(401);
    }

    @Test
    void settingsRefuseAConsoleOpenToTheNetworkWithoutAUser() {
        assertThatThrownBy(() -> ConsoleSettings.of("0.0.0.0", 8090, Map.of())).hasMessageContaining(ConsoleSettings.USER_ENV).hasMessageContaining("127.0.0.1");
        assertThatThrownBy(() -> ConsoleSettings.of("127.0.0.1", 8090, Map.of(ConsoleSettings.USER_ENV, "ops")))
                .hasMessageContaining(ConsoleSettings.PASSWORD_ENV);
        assertThatThrownBy(() -> ConsoleSettings.of("127.0.0.1", 70000, Map.of())).hasMessageContaining("--console-port");
        assertThat(ConsoleSettings.of("0.0.0.0", 8090, Map.of(ConsoleSettings.USER_ENV, "ops", ConsoleSettings.PASSWORD_ENV, "pw")).credentials().orElseThrow()
                .toString()).doesNotContain("pw");
    }

    private static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }
}
