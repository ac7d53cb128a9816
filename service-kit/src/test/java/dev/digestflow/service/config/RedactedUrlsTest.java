package dev.digestflow.service.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactedUrlsTest {

    @Test
    void urlsLoseTheirUserInfoBeforeAnyLogLine() {
        assertThat(RedactedUrls.of("http://svc:s3cret@registry:8081")).isEqualTo("http://***@registry:8081").doesNotContain("s3cret");
        assertThat(RedactedUrls.of("https://a:b@h1:8081,https://c:d@h2:8081")).doesNotContain("a:b").doesNotContain("c:d")
                .contains("h1:8081").contains("h2:8081");
        assertThat(RedactedUrls.of("http://registry:8081/path@x")).isEqualTo("http://registry:8081/path@x");
        assertThat(RedactedUrls.of("java.net.ConnectException: http://u:p@es:9200 refused")).doesNotContain("u:p");
        assertThat(RedactedUrls.of("elastic:changeme@es:9200")).isEqualTo("***@es:9200");
    }
}
