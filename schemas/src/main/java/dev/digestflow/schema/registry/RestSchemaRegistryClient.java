package dev.digestflow.schema.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.apache.avro.Schema;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.digestflow.schema.retry.Backoff;
import dev.digestflow.schema.serde.AvroSerdeConfig;
import dev.digestflow.schema.tls.TrustStores;

/**
 * A client for the Confluent Schema Registry REST API over {@link HttpClient}.
 *
 * <p>Several URLs are tried in order when one cannot be reached. 5xx answers and connection failures
 * are retried with exponential backoff and equal jitter; 4xx answers are final and surface as
 * {@link SchemaRegistryException} with Confluent's {@code error_code}. Credentials are sent as a basic
 * auth header and never logged.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    public static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUris;
    private final String authorization;
    private final HttpClient http;
    private final Duration readTimeout;
    private final int maxRetries;
    private final Backoff backoff;

    public RestSchemaRegistryClient(AvroSerdeConfig config) {
        List<URI> uris = new ArrayList<>();
        String urlUserInfo = null;
        for (String url : config.urls()) {
            URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            if (uri.getRawUserInfo() != null) {
                urlUserInfo = java.net.URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
                uri = URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                        + (uri.getRawPath() == null ? "" : uri.getRawPath()));
            }
            uris.add(uri);
        }
        this.baseUris = List.copyOf(uris);
        String source = config.credentialsSource();
        String userInfo = "URL".equals(source) ? urlUserInfo : config.userInfo();
        this.authorization = userInfo == null ? null
                : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(config.getInt(AvroSerdeConfig.HTTP_CONNECT_TIMEOUT_MS)));
        String trustStore = config.getString(AvroSerdeConfig.TRUSTSTORE_LOCATION);
        if (trustStore != null && !trustStore.isBlank()) {
            builder.sslContext(sslContext(Path.of(trustStore), config.getString(AvroSerdeConfig.TRUSTSTORE_TYPE),
                    config.getPassword(AvroSerdeConfig.TRUSTSTORE_PASSWORD)));
        }
        this.http = builder.build();
        this.readTimeout = Duration.ofMillis(config.getInt(AvroSerdeConfig.HTTP_READ_TIMEOUT_MS));
        this.maxRetries = config.getInt(AvroSerdeConfig.MAX_RETRIES);
        this.backoff = new Backoff(Duration.ofMillis(Math.max(1, config.getLong(AvroSerdeConfig.RETRY_BACKOFF_MS))),
                Duration.ofMillis(Math.max(Math.max(1, config.getLong(AvroSerdeConfig.RETRY_BACKOFF_MS)), config.getLong(AvroSerdeConfig.RETRY_BACKOFF_MAX_MS))),
                new java.util.Random());
    }

    /** Convenience for tools and tests: a client for one URL with default settings. */
    public static RestSchemaRegistryClient forUrl(String url) {
        return new RestSchemaRegistryClient(new AvroSerdeConfig(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url)));
    }

    @Override
    public int register(String subject, Schema schema) {
        return send("POST", "/subjects/" + enc(subject) + "/versions", schemaBody(schema)).get("id").asInt();
    }

    @Override
    public SchemaMetadata lookup(String subject, Schema schema) {
        return metadata(send("POST", "/subjects/" + enc(subject), schemaBody(schema)));
    }

    @Override
    public Schema getById(int id) {
        return new Schema.Parser().parse(send("GET", "/schemas/ids/" + id, null).get("schema").asText());
    }

    @Override
    public SchemaMetadata getLatest(String subject) {
        return metadata(send("GET", "/subjects/" + enc(subject) + "/versions/latest", null));
    }

    @Override
    public SchemaMetadata getVersion(String subject, int version) {
        return metadata(send("GET", "/subjects/" + enc(subject) + "/versions/" + version, null));
    }

    @Override
    public List<String> subjects() {
        return JSON.convertValue(send("GET", "/subjects", null), new TypeReference<List<String>>() { });
    }

    @Override
    public List<Integer> versions(String subject) {
        return JSON.convertValue(send("GET", "/subjects/" + enc(subject) + "/versions", null),
                new TypeReference<List<Integer>>() { });
    }

    @Override
    public List<Integer> deleteSubject(String subject) {
        return JSON.convertValue(send("DELETE", "/subjects/" + enc(subject), null),
                new TypeReference<List<Integer>>() { });
    }

    @Override
    public CompatibilityLevel getGlobalCompatibility() {
        return CompatibilityLevel.parse(send("GET", "/config", null).get("compatibilityLevel").asText());
    }

    @Override
    public void setGlobalCompatibility(CompatibilityLevel level) {
        send("PUT", "/config", JSON.createObjectNode().put("compatibility", level.name()));
    }

    @Override
    public Optional<CompatibilityLevel> getSubjectCompatibility(String subject) {
        try {
            return Optional.of(CompatibilityLevel.parse(
                    send("GET", "/config/" + enc(subject), null).get("compatibilityLevel").asText()));
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void setSubjectCompatibility(String subject, CompatibilityLevel level) {
        send("PUT", "/config/" + enc(subject), JSON.createObjectNode().put("compatibility", level.name()));
    }

    @Override
    public boolean testCompatibility(String subject, Integer version, Schema schema) {
        String v = version == null ? "latest" : version.toString();
        return send("POST", "/compatibility/subjects/" + enc(subject) + "/versions/" + v, schemaBody(schema))
                .get("is_compatible").asBoolean();
    }

    private static ObjectNode schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString());
    }

    private static SchemaMetadata metadata(JsonNode n) {
        return new SchemaMetadata(n.get("subject").asText(), n.get("version").asInt(), n.get("id").asInt(),
                n.get("schema").asText());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, JsonNode body) {
        SchemaRegistryException last = null;
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            if (attempt > 0) {
                sleepBackoff(attempt);
            }
            for (URI base : baseUris) {
                try {
                    return sendOnce(base, method, path, body);
                } catch (SchemaRegistryException e) {
                    if (!e.retriable()) {
                        throw e;
                    }
                    last = e;
                }
            }
            LOG.debug("Schema registry {} {} failed (attempt {} of {}): {}", method, path, attempt + 1,
                    maxRetries + 1, last.getMessage());
        }
        throw last;
    }

    private JsonNode sendOnce(URI base, String method, String path, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(readTimeout)
                .header("Accept", MEDIA_TYPE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            request.header("Content-Type", MEDIA_TYPE);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry " + base + " unreachable for " + method + " " + path
                    + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while calling schema registry " + base, e);
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() >= 200 && response.statusCode() < 300) {
            return json;
        }
        int errorCode = json != null && json.has("error_code") ? json.get("error_code").asInt() : response.statusCode();
        String message = json != null && json.has("message") ? json.get("message").asText() : response.body();
        throw new SchemaRegistryException(response.statusCode(), errorCode,
                "schema registry " + base + " answered " + response.statusCode() + " (error_code " + errorCode
                        + ") to " + method + " " + path + ": " + message);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private void sleepBackoff(int attempt) {
        try {
            // Equal jitter (between half and all of the bound): spreads retries of many clients after a registry restart.
            Thread.sleep(backoff.delay(attempt - 1).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while backing off", e);
        }
    }

    private static SSLContext sslContext(Path location, String type, Password password) {
        try {
            KeyStore trust;
            if ("PEM".equals(type)) {
                trust = TrustStores.pem(location);
            } else {
                trust = KeyStore.getInstance(type);
                try (InputStream in = Files.newInputStream(location)) {
                    trust.load(in, password == null ? null : password.value().toCharArray());
                }
            }
            return TrustStores.sslContext(trust);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load " + AvroSerdeConfig.TRUSTSTORE_LOCATION + " '" + location
                    + "' as " + type + ": " + e.getMessage(), e);
        }
    }
}
