package dev.digestflow.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Confluent's key names and defaults, with digestflow's old ones still accepted for a release. */
class AvroSerdeConfigTest {

    private static final String URL = "http://127.0.0.1:8081";

    @Test
    void confluentsRetryKeysAreTheNamesAndTheOldOnesStillWork() {
        AvroSerdeConfig current = new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, URL, "max.retries", 2, "retries.wait.ms", 50L,
                "retries.max.wait.ms", 400L));
        assertThat(current.getInt(AvroSerdeConfig.MAX_RETRIES)).isEqualTo(2);
        assertThat(current.getLong(AvroSerdeConfig.RETRY_BACKOFF_MS)).isEqualTo(50L);
        assertThat(current.getLong(AvroSerdeConfig.RETRY_BACKOFF_MAX_MS)).isEqualTo(400L);
        AvroSerdeConfig old = new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, URL, "schema.registry.max.retries", 7,
                "schema.registry.retry.backoff.ms", 9L));
        assertThat(old.getInt(AvroSerdeConfig.MAX_RETRIES)).isEqualTo(7);
        assertThat(old.getLong(AvroSerdeConfig.RETRY_BACKOFF_MS)).isEqualTo(9L);
    }

    @Test
    void credentialsComeFromTheUrlByDefaultAsWithConfluentsClientButAUserInfoAloneStillWorks() {
        assertThat(new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, URL)).credentialsSource()).isEqualTo("URL");
        assertThat(new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, URL, AvroSerdeConfig.BASIC_AUTH_USER_INFO, "u:p"))
                .credentialsSource()).as("what the default was: kept for a release, with a warning").isEqualTo("USER_INFO");
        assertThat(new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, URL, AvroSerdeConfig.BASIC_AUTH_USER_INFO, "u:p",
                AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "URL")).credentialsSource()).isEqualTo("URL");
    }
}
