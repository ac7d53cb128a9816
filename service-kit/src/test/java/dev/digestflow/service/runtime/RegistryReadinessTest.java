package dev.digestflow.service.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistryReadinessTest {

    @Test
    void urlsLoseTheirUserInfoBeforeAnyLogLine() {
        assertThat(RegistryReadiness.withoutUserInfo("http://svc:s3cret@registry:8081")).isEqualTo("http://***@registry:8081").doesNotContain("s3cret");
        assertThat(RegistryReadiness.withoutUserInfo("https://a:b@h1:8081,https://c:d@h2:8081")).doesNotContain("b@").doesNotContain("d@")
                .contains("h1:8081").contains("h2:8081");
        assertThat(RegistryReadiness.withoutUserInfo("http://registry:8081/path@x")).isEqualTo("http://registry:8081/path@x");
    }
}
